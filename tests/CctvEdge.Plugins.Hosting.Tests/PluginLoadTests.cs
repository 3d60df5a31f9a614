using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using CctvEdge.Harness;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;

namespace CctvEdge.Plugins.Hosting.Tests;

public sealed class PluginLoadTests : IDisposable
{
    private const string TestAssembly = "CctvEdge.TestPlugins";
    private static readonly string Built = Path.Combine(AppContext.BaseDirectory, "test-plugins");
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase) { "CctvEdge.Plugins.Sdk", "Microsoft.Extensions.Logging.Abstractions" };
    private readonly TempDirectory _plugins = new("cctvedge-hosting-plugins");
    private readonly TempDirectory _shadows = new("cctvedge-hosting-shadows");

    [Fact]
    public void From_ValidFolder_CollectibleContextOfItsOwnSharingTheSdk()
    {
        var load = PluginLoad.From(Add("counting"), Rules());

        Assert.True(load.IsLoaded, load.Error);
        var instance = load.CreateInstance();
        var context = AssemblyLoadContext.GetLoadContext(instance.GetType().Assembly)!;
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.True(context.IsCollectible);
        Assert.IsAssignableFrom<ICameraPlugin>(instance);
        Assert.Same(typeof(ICameraPlugin).Assembly, instance.GetType().GetInterface(nameof(ICameraPlugin))!.Assembly);
        load.Unload();
    }

    [Fact]
    public void From_OriginalReplacedWhileLoaded_RunsFromItsShadowCopy()
    {
        var folder = Add("counting");
        var load = PluginLoad.From(folder, Rules());

        File.WriteAllText(Path.Combine(folder, TestAssembly + ".dll"), "not an assembly any more");
        var instance = load.CreateInstance();

        Assert.StartsWith(_shadows.Path, instance.GetType().Assembly.Location, StringComparison.Ordinal);
        load.Unload();
    }

    [Fact]
    public void From_DepsJsonAssetOutsideFolder_RefusedNamingThePath()
    {
        var folder = Add("escape");
        File.WriteAllText(Path.Combine(folder, TestAssembly + ".deps.json"), """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
              "targets": { ".NETCoreApp,Version=v10.0": { "Evil/1.0.0": { "runtime": { "../../outside/Evil.dll": {} } } } },
              "libraries": { "Evil/1.0.0": { "type": "project", "serviceable": false, "sha512": "" } }
            }
            """);

        var load = PluginLoad.From(folder, Rules());

        Assert.False(load.IsLoaded);
        Assert.Contains("'../../outside/Evil.dll', outside the plugin's folder", load.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void From_RuntimeConfigProbingPathOutside_Refused()
    {
        var folder = Add("probing");
        File.WriteAllText(Path.Combine(folder, TestAssembly + ".runtimeconfig.json"), """
            { "runtimeOptions": { "tfm": "net10.0", "additionalProbingPaths": [ "/usr/lib" ] } }
            """);

        var load = PluginLoad.From(folder, Rules());

        Assert.False(load.IsLoaded);
        Assert.Contains("'/usr/lib', outside the plugin's folder", load.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckLoaded_AssemblyFromAnotherFolder_Refused()
    {
        var context = new AssemblyLoadContext("confinement-test", isCollectible: true);
        try
        {
            context.LoadFromAssemblyPath(Path.Combine(Built, TestAssembly + ".dll"));

            var refused = Assert.Throws<PluginLoadException>(() => PluginConfinement.CheckLoaded(context, _plugins.Path));

            Assert.Contains("outside the plugin's folder", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public async Task Unload_NothingRefersToThePlugin_ContextCollectedAndShadowDeleted()
    {
        var context = LoadCreateAndUnload(Add("counting"));

        await Eventually.TrueAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !context.IsAlive;
            },
            TimeSpan.FromSeconds(10),
            "the load context to be collected");
        Assert.Empty(Directory.GetDirectories(_shadows.Path));
    }

    public void Dispose()
    {
        _plugins.Dispose();
        _shadows.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference LoadCreateAndUnload(string folder)
    {
        // In a method of its own, so no local of the test's state machine keeps the plugin's types reachable.
        var load = PluginLoad.From(folder, Rules());
        Assert.True(load.IsLoaded, load.Error);
        _ = load.CreateInstance();
        load.Unload();
        return load.Context;
    }

    private PluginLoadRules Rules() => new(typeof(ICameraPlugin).Assembly, PluginAbi.Version, typeof(ICameraPlugin), Shared, _shadows.Path);

    private string Add(string id)
    {
        var folder = _plugins.Combine(id);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, PluginManifest.FileName), $$"""
            { "id": "{{id}}", "version": "1.0.0", "sdkAbi": {{PluginAbi.Version}}, "assembly": "{{TestAssembly}}.dll", "entryType": "CctvEdge.TestPlugins.CountingPlugin" }
            """);
        return folder;
    }
}
