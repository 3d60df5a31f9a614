using Microsoft.Extensions.Configuration;
using CctvEdge.Harness;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

public sealed class PluginCatalogTests
{
    [Fact]
    public void LoadAll_BuiltInMotionFolder_LoadsAndCreatesInstances()
    {
        using var folders = new PluginFolders();

        var motion = LoadBuiltIn(folders, "motion");

        Assert.IsAssignableFrom<IFrameAnalyzer>(motion.CreateInstance());
    }

    [Fact]
    public async Task LoadAll_BuiltInDetectionFolder_OnnxRuntimeLoadsInItsContextAndABadModelFailsOnlyTheInstance()
    {
        using var folders = new PluginFolders();
        using var temp = new TempDirectory();
        var detection = LoadBuiltIn(folders, "detection");
        var model = temp.Combine("corrupt.onnx");
        await File.WriteAllBytesAsync(model, [.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 31))]);
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cameras:0:Plugins:detection:ModelPath"] = model })
            .Build().GetSection("Cameras:0:Plugins:detection");
        var camera = TestCamera.Create(temp.Combine("camera"));
        await using var outbox = await TestOutbox.OpenAsync();
        await using var instance = PluginInstance.Create(camera, detection, PluginAssignment.From("Cameras:0", "detection", settings), outbox.Results,
            new Recording.ClipRecorder(TestCamera.Options(), outbox.Clips), new CctvEdge.Plugins.Hosting.CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        await instance.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        // ONNX Runtime's native library had to load (from the plugin's runtimes/ folder) to tell the file is no model.
        Assert.Equal(CctvEdge.Plugins.Hosting.InstanceState.Failed, instance.State);
        Assert.Contains("is not an ONNX model ONNX Runtime can load", instance.Error, StringComparison.Ordinal);
        Assert.Null(camera.ColorDemand.Current);
    }

    [Fact]
    public void Load_ValidFolder_EntryTypeComesFromItsOwnLoadContextWithSharedSdk()
    {
        using var folders = new PluginFolders();
        var plugin = folders.Load(folders.Add("counting", "CountingPlugin"));

        Assert.True(plugin.IsLoaded, plugin.Error);
        var instance = plugin.CreateInstance();
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(instance.GetType().Assembly);
        Assert.NotNull(context);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
        Assert.True(context.IsCollectible);
        Assert.Same(typeof(ICameraPlugin).Assembly, instance.GetType().GetInterface(nameof(ICameraPlugin))!.Assembly);
    }

    [Fact]
    public void Load_AssemblyPathOutsideFolder_FailsWithReason()
    {
        using var folders = new PluginFolders();

        var plugin = folders.Load(folders.Add("escape", "CountingPlugin", assembly: "../escape/../../etc/passwd"));

        Assert.False(plugin.IsLoaded);
        Assert.Contains("outside the plugin's folder", plugin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherSdkAbi_FailsNamingBothVersions()
    {
        using var folders = new PluginFolders();

        var plugin = folders.Load(folders.Add("future", "CountingPlugin", sdkAbi: PluginAbi.Version + 1));

        Assert.False(plugin.IsLoaded);
        Assert.Contains($"ABI {PluginAbi.Version + 1}", plugin.Error, StringComparison.Ordinal);
        Assert.Contains($"ABI {PluginAbi.Version}", plugin.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MissingPlugin", "is not in")]
    [InlineData("NoDefaultConstructorPlugin", "parameterless constructor")]
    public void Load_BadEntryType_FailsWithReason(string entryType, string expected)
    {
        using var folders = new PluginFolders();

        var plugin = folders.Load(folders.Add("bad", entryType));

        Assert.False(plugin.IsLoaded);
        Assert.Contains(expected, plugin.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "not valid")]
    [InlineData("""{ "id": "x", "version": "1", "sdkAbi": 1, "assembly": "CctvEdge.TestPlugins.dll" }""", "entryType")]
    [InlineData("""{ "id": "Bad Id", "version": "1", "sdkAbi": 1, "assembly": "a.dll", "entryType": "T" }""", "invalid")]
    public void Load_BrokenManifest_FailsWithReason(string manifest, string expected)
    {
        using var folders = new PluginFolders();

        var plugin = folders.Load(folders.Add("broken", "CountingPlugin", manifestOverride: manifest));

        Assert.False(plugin.IsLoaded);
        Assert.Contains(expected, plugin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_TwoFoldersSameId_SecondFails()
    {
        using var folders = new PluginFolders();
        folders.Add("a-first", "CountingPlugin", id: "same");
        folders.Add("b-second", "CountingPlugin", id: "same");
        var catalog = folders.Catalog();

        catalog.LoadAll(folders.Directory);

        Assert.Equal(2, catalog.Plugins.Count);
        Assert.True(catalog.Plugins[0].IsLoaded);
        Assert.Contains("already provided", catalog.Plugins[1].Error, StringComparison.Ordinal);
    }

    /// <summary>A built-in plugin from the node's build output, loaded as the node loads it.</summary>
    private static InstalledPlugin LoadBuiltIn(PluginFolders folders, string id)
    {
        var catalog = folders.Catalog();
        catalog.LoadAll(RepositoryPaths.NodePluginsDirectory);
        var plugin = catalog.Find(id);
        Assert.NotNull(plugin);
        Assert.True(plugin.IsLoaded, plugin.Error);
        return plugin;
    }
}
