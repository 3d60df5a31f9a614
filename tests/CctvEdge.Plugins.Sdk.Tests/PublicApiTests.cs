using CctvEdge.Harness;

namespace CctvEdge.Plugins.Sdk.Tests;

/// <summary>
/// The SDKs' public surfaces are what plugin authors build against. Microsoft.CodeAnalysis.PublicApiAnalyzers fails
/// the SDK's build on any public change not written in PublicAPI.Unshipped.txt (RS0016 for an addition, RS0017 for
/// a removal), so a change is always deliberate. These tests guard what that check cannot: that it stays switched on,
/// and that what the built-in plugins rely on is still declared shipped.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Sdks => new() { "plugins/CctvEdge.Plugins.Sdk", "server/CctvEdge.Server.Plugins.Sdk" };

    [Theory]
    [MemberData(nameof(Sdks))]
    public void PublicApiFiles_EachSdk_CheckedAtBuildWithNullability(string project)
    {
        var folder = Path.Combine(RepositoryPaths.Root, project);
        var csproj = File.ReadAllText(Directory.GetFiles(folder, "*.csproj").Single());

        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", csproj, StringComparison.Ordinal);
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            Assert.Contains($"<AdditionalFiles Include=\"{file}\" />", csproj, StringComparison.Ordinal);
            Assert.Equal("#nullable enable", File.ReadLines(Path.Combine(folder, file)).First());
        }
    }

    [Fact]
    public void ShippedApi_NodeSdk_StillHasWhatBuiltInPluginsUse()
    {
        var shipped = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "plugins", "CctvEdge.Plugins.Sdk", "PublicAPI.Shipped.txt"));

        Assert.Contains(shipped, l => l.StartsWith("CctvEdge.Plugins.Sdk.IPluginContext.BindSettings<T>(", StringComparison.Ordinal));
        Assert.Contains("CctvEdge.Plugins.Sdk.IReconfigurable", shipped);
        Assert.Contains("CctvEdge.Plugins.Sdk.PluginEvent", shipped);
    }
}
