using System.IO.Compression;
using System.Text;

namespace CctvEdge.Plugins.Hosting.Tests;

/// <summary>Plugin packages as the server and the nodes check and unpack them.</summary>
public sealed class PluginPackageTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("cctvedge-package-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void InspectAndExtract_InATopFolder_ManifestReadAndFolderUnpackedWithoutIt()
    {
        var zip = Write(("gate/plugin.json", Manifest), ("gate/Gate.dll", "x"), ("gate/lib/dep.dll", "y"));
        var target = Path.Combine(_temp.FullName, "out");

        var manifest = PluginPackage.Inspect(zip);
        PluginPackage.Extract(zip, target);

        Assert.Equal(("gate", "2.0.0"), (manifest.Id, manifest.Version));
        Assert.Equal("x", File.ReadAllText(Path.Combine(target, "Gate.dll")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(target, "lib", "dep.dll")));
        Assert.True(File.Exists(Path.Combine(target, "plugin.json")));
    }

    [Theory]
    [InlineData("../outside.dll", "outside the plugin's folder")]
    [InlineData("/etc/cron.d/evil", "outside the plugin's folder")]
    [InlineData("lib/../../outside.dll", "outside the plugin's folder")]
    [InlineData("C:/Windows/evil.dll", "outside the plugin's folder")]
    public void Inspect_EntryLeavingTheFolder_Refused(string entry, string reason)
    {
        var zip = Write(("plugin.json", Manifest), ("Gate.dll", "x"), (entry, "evil"));

        var refused = Assert.Throws<PluginLoadException>(() => PluginPackage.Inspect(zip));
        Assert.Throws<PluginLoadException>(() => PluginPackage.Extract(zip, Path.Combine(_temp.FullName, "out")));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.FullName, "outside.dll")));
    }

    [Fact]
    public void Inspect_ManifestNamesAMissingAssembly_Refused()
    {
        var zip = Write(("plugin.json", Manifest), ("Other.dll", "x"));

        Assert.Contains("has no 'Gate.dll'", Assert.Throws<PluginLoadException>(() => PluginPackage.Inspect(zip)).Message, StringComparison.Ordinal);
    }

    private const string Manifest = """{"id":"gate","version":"2.0.0","sdkAbi":1,"assembly":"Gate.dll","entryType":"Gate.Plugin"}""";

    private string Write(params (string Name, string Text)[] entries)
    {
        var path = Path.Combine(_temp.FullName, Guid.NewGuid().ToString("N") + ".zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
            writer.Write(text);
        }

        return path;
    }
}
