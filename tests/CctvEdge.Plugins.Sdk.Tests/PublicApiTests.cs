using System.Reflection;
using CctvEdge.Harness;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Testing;

namespace CctvEdge.Plugins.Sdk.Tests;

/// <summary>
/// The SDKs' public surfaces are what plugin authors build against: a change must be deliberate. On a difference the
/// test writes PublicAPI.received.txt beside PublicAPI.txt; review it, and if the change is meant (an addition, or a
/// break together with a new ABI version), copy it over PublicAPI.txt.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string, string> Sdks => new()
    {
        { "plugins/CctvEdge.Plugins.Sdk", typeof(ICameraPlugin).Assembly.GetName().Name! },
        { "server/CctvEdge.Server.Plugins.Sdk", typeof(IResultProcessor).Assembly.GetName().Name! },
    };

    [Theory]
    [MemberData(nameof(Sdks))]
    public void PublicSurface_ComparedWithPublicApiFile_Unchanged(string project, string assemblyName)
    {
        var approved = Path.Combine(RepositoryPaths.Root, project, "PublicAPI.txt");
        var actual = PublicApi.Of(Assembly.Load(assemblyName));
        var expected = File.Exists(approved) ? File.ReadAllLines(approved) : [];

        var added = actual.Except(expected).ToList();
        var removed = expected.Except(actual).ToList();
        if (added.Count + removed.Count > 0)
        {
            File.WriteAllLines(Path.ChangeExtension(approved, ".received.txt"), actual);
        }

        Assert.True(
            added.Count + removed.Count == 0,
            $"The public API of {assemblyName} changed.{Environment.NewLine}Added:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", added)}{Environment.NewLine}Removed:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", removed)}");
    }

    [Fact]
    public void PublicSurface_NodeSdk_StillHasWhatBuiltInPluginsUse()
    {
        var api = PublicApi.Of(typeof(ICameraPlugin).Assembly);

        Assert.Contains(api, l => l.StartsWith("CctvEdge.Plugins.Sdk.IPluginContext.BindSettings<T>(", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("interface CctvEdge.Plugins.Sdk.IReconfigurable", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("sealed record CctvEdge.Plugins.Sdk.PluginEvent", StringComparison.Ordinal));
    }
}
