using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// The plugin author's path end to end: the SDK packed, the sample built from the package, dropped into a running
/// node's plugins directory, replaced by a new version, with misbehaving plugins beside it; the server's ledger
/// processor records what the server stored.
/// </summary>
public sealed class PluginLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string TestPlugins = Path.Combine(AppContext.BaseDirectory, "test-plugins");
    private static readonly string TestProcessors = Path.Combine(AppContext.BaseDirectory, "test-processors");

    [Fact]
    public async Task SamplePlugin_PackedBuiltAndDropped_ProducesSwapsAndBadPluginsAreContained()
    {
        using var work = new TempDirectory("cctvedge-sample");
        var feed = work.Combine("feed");
        var abi2Feed = work.Combine("feed-abi2");
        await SdkPackage.PackAsync(feed).WaitAsync(Timeout);
        await SdkPackage.PackCopyAsync(abi2Feed, "2.0.0", work.Path).WaitAsync(TimeSpan.FromMinutes(5));
        var sample = new SamplePlugin(work.Path);
        var v1 = await sample.BuildAsync(feed, "1.0.0").WaitAsync(TimeSpan.FromMinutes(5));
        var v2 = await sample.BuildAsync(feed, "1.1.0").WaitAsync(TimeSpan.FromMinutes(5));
        var abi2 = await sample.BuildAsync(abi2Feed, "1.0.0", sdkVersion: "2.0.0").WaitAsync(TimeSpan.FromMinutes(5));
        Assert.False(File.Exists(Path.Combine(v1, "CctvEdge.Plugins.Sdk.dll")), "the node provides the SDK; a plugin folder carries none");

        var processors = work.Combine("processors");
        AddFolder(TestProcessors, Path.Combine(processors, "ledger"), "ledger", "CctvEdge.TestProcessors.dll", "CctvEdge.TestProcessors.LedgerProcessor");
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions
        {
            ServerArguments = ["--Processors:Directory", processors],
            PluginHangSeconds = 3,
            CameraPlugins = new() { [SamplePlugin.Id] = new { IntervalSeconds = 1 }, ["throwing"] = new { }, ["sleeping"] = new { }, ["escape"] = new { }, ["future"] = new { } },
        });
        var ledger = new Ledger(Path.Combine(network.ServerData, "processors", "ledger", "ledger.txt"));
        await Eventually.TrueAsync(() => ledger.Count("motion") > 0, Timeout, "the motion plugin's first results on the server");

        var dropped = Stopwatch.StartNew();
        DemoNetwork.CopyDirectory(v1, Path.Combine(network.PluginsDirectory, SamplePlugin.Id));
        await Eventually.TrueAsync(() => ledger.Count(SamplePlugin.Id) > 0, Timeout, "the dropped sample's first result on the server");
        output.WriteLine($"plugin folder dropped -> first result stored on the server: {dropped.Elapsed.TotalMilliseconds:0} ms");

        DemoNetwork.CopyDirectory(v2, Path.Combine(network.PluginsDirectory, SamplePlugin.Id));
        await Eventually.GetAsync(async () => (await InstanceAsync(network, SamplePlugin.Id)) is { } i && i.GetProperty("version").GetString() == "1.1.0" ? (object)i : null, Timeout, "version 1.1.0 to run");
        var afterSwap = ledger.Count(SamplePlugin.Id);
        await Eventually.TrueAsync(() => ledger.Count(SamplePlugin.Id) > afterSwap + 2, Timeout, "results of version 1.1.0");

        AddFolder(TestPlugins, Path.Combine(network.PluginsDirectory, "throwing"), "throwing", "CctvEdge.TestPlugins.dll", "CctvEdge.TestPlugins.ThrowingPlugin");
        AddFolder(TestPlugins, Path.Combine(network.PluginsDirectory, "sleeping"), "sleeping", "CctvEdge.TestPlugins.dll", "CctvEdge.TestPlugins.SleepingPlugin");
        AddFolder(TestPlugins, Path.Combine(network.PluginsDirectory, "escape"), "escape", "../motion/CctvEdge.Plugins.Motion.dll", "CctvEdge.Plugins.Motion.MotionPlugin");
        DemoNetwork.CopyDirectory(abi2, Path.Combine(network.PluginsDirectory, "future"));
        await File.WriteAllTextAsync(Path.Combine(network.PluginsDirectory, "future", "plugin.json"), (await File.ReadAllTextAsync(Path.Combine(abi2, "plugin.json"))).Replace(SamplePlugin.Id, "future", StringComparison.Ordinal));

        var plugins = await Eventually.GetValueAsync(
            async () => await PluginsAsync(network) is var p
                && Error(p, "instances", "throwing").Contains("switched off after 50 failures", StringComparison.Ordinal)
                && Error(p, "instances", "sleeping").StartsWith("hung: OnFrameAsync", StringComparison.Ordinal)
                && Error(p, "installed", "escape").Contains("outside the plugin's folder", StringComparison.Ordinal)
                && Error(p, "installed", "future").Contains("(ABI 2)", StringComparison.Ordinal) ? p : default(JsonElement?),
            Timeout,
            "the throwing and sleeping plugins switched off, the escaping and ABI 2 ones refused");
        Assert.Equal("object", Find(plugins, "installed", SamplePlugin.Id).GetProperty("settingsSchema").GetProperty("type").GetString());

        var (motion, tamper) = (ledger.Count("motion"), ledger.Count(SamplePlugin.Id));
        await Eventually.TrueAsync(() => ledger.Count("motion") > motion + 2 && ledger.Count(SamplePlugin.Id) > tamper + 2, Timeout, "the other plugins to keep producing results");
        Assert.False(network.Node.HasExited);
    }

    private static void AddFolder(string built, string folder, string id, string assembly, string entryType)
    {
        DemoNetwork.CopyDirectory(built, folder);
        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""{ "id": "{{id}}", "version": "1.0.0", "sdkAbi": 1, "assembly": "{{assembly}}", "entryType": "{{entryType}}" }""");
    }

    private static async Task<JsonElement> PluginsAsync(DemoNetwork network) =>
        await network.Http.GetFromJsonAsync<JsonElement>("api/nodes/e2e-node/plugins");

    private static string Error(JsonElement plugins, string list, string id) =>
        plugins.GetProperty(list).EnumerateArray().FirstOrDefault(p => p.GetProperty("id").GetString() == id) is { ValueKind: JsonValueKind.Object } found ? found.GetProperty("error").GetString() ?? "" : "";

    private static async Task<JsonElement?> InstanceAsync(DemoNetwork network, string id) =>
        (await PluginsAsync(network)).GetProperty("instances").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("id").GetString() == id);

    private static JsonElement Find(JsonElement plugins, string list, string id) =>
        plugins.GetProperty(list).EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    /// <summary>The ledger processor's file: one line per stored result, "node sequence plugin name".</summary>
    private sealed class Ledger(string path)
    {
        public int Count(string pluginId) =>
            File.Exists(path) ? File.ReadLines(path).Count(l => l.Split(' ') is [_, _, var plugin, ..] && plugin == pluginId) : 0;
    }
}
