using CctvEdge.Harness;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>Builds plugin folders in a temporary plugins directory, each with the test plugin assembly and a manifest.</summary>
internal sealed class PluginFolders : IDisposable
{
    private static readonly string TestPluginsOutput = Path.Combine(AppContext.BaseDirectory, "test-plugins");
    private readonly TempDirectory _root = new("cctvedge-plugins");
    private readonly TempDirectory _shadows = new("cctvedge-plugin-shadows");

    public string Directory => _root.Path;

    /// <summary>A catalog whose shadow copies go to a temporary folder of its own.</summary>
    public PluginCatalog Catalog() => new(_shadows.Combine(Guid.NewGuid().ToString("N")), NullLogger<PluginCatalog>.Instance);

    /// <summary>Loads one folder as the node does.</summary>
    public InstalledPlugin Load(string path) => Catalog().Load(path);

    public string Add(string folder, string entryType, int sdkAbi = PluginAbi.Version, string assembly = "CctvEdge.TestPlugins.dll", string? id = null, string? manifestOverride = null, string version = "1.0.0")
    {
        var path = _root.Combine(folder);
        System.IO.Directory.CreateDirectory(path);
        foreach (var file in System.IO.Directory.GetFiles(TestPluginsOutput))
        {
            File.Copy(file, Path.Combine(path, Path.GetFileName(file)), overwrite: true);
        }

        var manifest = manifestOverride ?? $$"""
            { "id": "{{id ?? folder}}", "version": "{{version}}", "sdkAbi": {{sdkAbi}}, "assembly": "{{assembly}}", "entryType": "CctvEdge.TestPlugins.{{entryType}}" }
            """;
        File.WriteAllText(Path.Combine(path, "plugin.json"), manifest);
        return path;
    }

    public void Dispose()
    {
        _root.Dispose();
        _shadows.Dispose();
    }
}
