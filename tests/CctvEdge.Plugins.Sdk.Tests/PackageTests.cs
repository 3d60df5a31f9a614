using System.IO.Compression;
using System.Xml.Linq;
using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.Plugins.Sdk.Tests;

public sealed class PackageTests
{
    [Fact]
    public async Task Pack_Sdk_PackageHasDocsReadmeAndAbiAsMajorVersion()
    {
        using var feed = new TempDirectory("cctvedge-feed");

        var package = await SdkPackage.PackAsync(feed.Path).WaitAsync(TimeSpan.FromMinutes(5));

        using var zip = ZipFile.OpenRead(package);
        var files = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/CctvEdge.Plugins.Sdk.dll", files);
        Assert.Contains("lib/net10.0/CctvEdge.Plugins.Sdk.xml", files);
        Assert.Contains("README.md", files);
        await using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        var version = Version.Parse(Field("version"));
        Assert.Equal(PluginAbi.Version, version.Major);
        Assert.Equal("README.md", Field("readme"));
        Assert.Equal(typeof(PluginAbi).Assembly.GetName().Version!.ToString(3), version.ToString(3));
    }
}
