using System.Xml.Linq;
using CctvEdge.Harness;

namespace CctvEdge.Server.Tests;

/// <summary>
/// The house's three paths and no circles, read from the project files and sources themselves: dependencies point one
/// way (web → nothing of the server, storage → nothing of pages, SDKs → nothing of the host, nothing → tests).
/// </summary>
public sealed class LayeringTests
{
    private static readonly string Root = RepositoryPaths.Root;

    [Fact]
    public void ProjectReferences_OutsideTests_NoneIntoTests()
    {
        var projects = Projects();

        var intoTests = projects
            .Where(p => !Under(p.Project, "tests"))
            .SelectMany(p => p.References.Where(r => Under(r, "tests")).Select(r => $"{Relative(p.Project)} -> {Relative(r)}"))
            .ToList();

        // The scan must see bench/ and tools/ projects, or an empty result proves nothing.
        Assert.Contains(projects, p => Under(p.Project, "bench"));
        Assert.Contains(projects, p => Under(p.Project, "tools"));
        Assert.Empty(intoTests);
    }

    [Theory]
    [InlineData("web/CctvEdge.Web", "server")]
    [InlineData("web/CctvEdge.Web", "node")]
    [InlineData("common/CctvEdge.Plugins.Hosting", "proto")]
    [InlineData("common/CctvEdge.Storage", "web")]
    [InlineData("plugins/CctvEdge.Plugins.Sdk", "common")]
    [InlineData("server/CctvEdge.Server.Plugins.Sdk", "common")]
    [InlineData("server/CctvEdge.Server.Plugins.Sdk", "server/CctvEdge.Server")]
    public void ProjectReferences_LowerLayer_NoneUpward(string project, string forbidden)
    {
        var found = Assert.Single(Projects(), p => Relative(Path.GetDirectoryName(p.Project)!) == project);

        Assert.DoesNotContain(found.References, r => Under(r, forbidden));
    }

    [Fact]
    public void ServerStorage_Sources_NothingOfThePages()
    {
        var sources = Directory.GetFiles(Path.Combine(Root, "server", "CctvEdge.Server", "Storage"), "*.cs");

        var offenders = sources.Where(f => File.ReadAllText(f).Contains("CctvEdge.Web", StringComparison.Ordinal)).Select(Relative).ToList();

        Assert.NotEmpty(sources);
        Assert.Empty(offenders);
    }

    private static List<(string Project, List<string> References)> Projects() =>
        Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !Relative(p).Split('/').Any(part => part is "bin" or "obj" or "node_modules" or "artifacts"))
            .Select(p => (p, XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, r.Attribute("Include")!.Value.Replace('\\', '/'))))
                .ToList()))
            .ToList();

    private static bool Under(string path, string folder) =>
        Relative(path).StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
