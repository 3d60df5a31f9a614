using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The fleet hub's camera configuration against a real node process running ffmpeg.</summary>
public sealed class FleetConfigTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CameraAddedThroughApi_StreamsWithoutRestart_BadPushRefusedWhileOldRuns_KeptAcrossRestart()
    {
        await using var network = await DemoNetwork.StartAsync();
        var http = network.Http;
        await Eventually.TrueAsync(async () => (await http.GetAsync("api/nodes/e2e-node/config")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the node's configuration to be reported");
        var pid = network.Node.Id;

        // A new camera: the running node starts it, with its own motion plugin, and its snapshots arrive.
        var gate = JsonNode.Parse("""{"Id":"gate","Name":"Gate","Source":{"Kind":"synthetic","Width":320,"Height":240,"Fps":5},"Detect":{"Width":160,"Height":120,"Fps":5},"SnapshotSeconds":1,"Recording":{"Enabled":false},"Plugins":{"motion":{"GapSeconds":1}}}""");
        var added = DateTimeOffset.UtcNow;
        using (var response = await http.PostAsJsonAsync("api/nodes/e2e-node/cameras", gate))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await Eventually.TrueAsync(async () => await CameraStateAsync(network, "gate") == "running" && (await http.GetAsync("media/snapshots/e2e-node/gate.jpg")).StatusCode == HttpStatusCode.OK, Soon, "the new camera to stream");
        output.WriteLine($"camera added through the API streaming after {(DateTimeOffset.UtcNow - added).TotalSeconds:0.0} s");
        Assert.Equal(pid, network.Node.Id);
        Assert.False(network.Node.HasExited);
        var applied = (await ConfigAsync(network)).GetProperty("appliedVersion").GetInt64();
        await NewCameraInMetricsAsync(network);
        Assert.Equal((await ConfigAsync(network)).GetProperty("version").GetInt64(), applied);

        // A change the node cannot run: refused with its reason, and both cameras keep running.
        var bad = JsonNode.Parse(gate!.ToJsonString())!;
        bad["Source"]!["Kind"] = "webcam";
        using (var response = await http.PutAsJsonAsync("api/nodes/e2e-node/cameras/gate", bad))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var refused = await Eventually.GetValueAsync<JsonElement>(async () =>
            await ConfigAsync(network) is var c && c.TryGetProperty("refusedVersion", out var v) && v.ValueKind == JsonValueKind.Number ? c : null, Soon, "the node to refuse the push");
        Assert.Contains("Kind", refused.GetProperty("refusedReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(applied, refused.GetProperty("appliedVersion").GetInt64());
        var frames = await SnapshotTimeAsync(network, "gate");
        await Eventually.TrueAsync(async () => await SnapshotTimeAsync(network, "gate") > frames, Soon, "the camera to keep running after the refused push");
        Assert.Equal("running", await CameraStateAsync(network, "yard"));

        // Back to the version that ran (changes build on the latest version, so a refused one is rolled back or
        // fixed first); then deactivate the first camera and restart the node: it runs the hub's last accepted
        // version, not its file.
        using (var response = await http.PostAsJsonAsync("api/nodes/e2e-node/config/rollback", new { version = applied }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await http.PostAsync("api/nodes/e2e-node/cameras/yard/deactivate", null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(async () => await CameraStateAsync(network, "yard") == "deactivated", Soon, "the camera to be deactivated");
        var final = await ConfigAsync(network);
        Assert.Equal(final.GetProperty("version").GetInt64(), final.GetProperty("appliedVersion").GetInt64());
        Assert.False(final.TryGetProperty("refusedVersion", out var gone) && gone.ValueKind == JsonValueKind.Number);
        await network.KillAndRestartNodeAsync();
        await network.Node.WaitForLineAsync("configuration version [1-9]", Soon);
        var restartedAt = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(async () => await SnapshotTimeAsync(network, "gate") > restartedAt, Soon, "the added camera to stream after the restart");
        Assert.Equal("deactivated", await CameraStateAsync(network, "yard"));
    }

    [Fact]
    public async Task PluginRolledOutThroughApi_RunningNodeSwapsItIn_ThenRolledBack()
    {
        await using var network = await DemoNetwork.StartAsync();
        var http = network.Http;
        await Eventually.TrueAsync(async () => (await http.GetAsync("api/nodes/e2e-node/plugins")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the node's plugins to be reported");
        var original = await Eventually.GetAsync<string>(async () => await MotionAsync(network, "installed") is { } m && m.GetProperty("state").GetString() == "running" ? m.GetProperty("version").GetString() : null, Soon, "the motion plugin to run");
        using var work = new TempDirectory("cctvedge-package");

        // The built-in motion plugin, as a plugin author would ship a new version of it: its folder, zipped.
        var folder = Path.Combine(work.Path, "motion");
        DemoNetwork.CopyDirectory(RepositoryPaths.NodePluginsDirectory + "/motion", folder);
        var manifest = Path.Combine(folder, "plugin.json");
        var originalZip = Path.Combine(work.Path, "motion-original.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(folder, originalZip);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace($"\"{original}\"", "\"9.9.9-rollout\"", StringComparison.Ordinal));
        var newZip = Path.Combine(work.Path, "motion-new.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(folder, newZip);

        var rolledOut = DateTimeOffset.UtcNow;
        await RollOutAsync(network, newZip);
        output.WriteLine($"plugin rolled out and running its new version after {(DateTimeOffset.UtcNow - rolledOut).TotalSeconds:0.0} s");
        Assert.Equal("9.9.9-rollout", (await MotionAsync(network, "instances"))!.Value.GetProperty("version").GetString());
        Assert.True(Directory.Exists(Path.Combine(network.PluginsDirectory, ".previous-motion")));
        Assert.False(network.Node.HasExited);

        // Rolling back is rolling out the earlier package.
        await RollOutAsync(network, originalZip);
        Assert.Equal(original, (await MotionAsync(network, "installed"))!.Value.GetProperty("version").GetString());
        var rollouts = await http.GetFromJsonAsync<JsonElement[]>("api/plugin-rollouts?node=e2e-node");
        Assert.Equal(["installed", "installed"], rollouts!.Select(r => r.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ConfigurationPage_SettingsFormFromTheSchema_ChangeAppliedByTheNode_AddAndRollBack_FitsAPhone()
    {
        await using var network = await DemoNetwork.StartAsync();
        await Eventually.TrueAsync(async () => (await network.Http.GetAsync("api/nodes/e2e-node/config")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the node's configuration to be reported");
        await Eventually.TrueAsync(async () => (await network.Http.GetStringAsync("api/nodes/e2e-node/plugins")).Contains("\"Threshold\"", StringComparison.Ordinal), Soon, "the motion plugin's settings schema");
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "nodes/e2e-node/config");
        await Browser.WaitInteractiveAsync(page);

        // The motion plugin's form, generated from its schema: Threshold to 40, saved, applied by the running node.
        var yard = page.Locator("[data-testid=camera-editor][data-camera-id=yard]");
        var threshold = yard.Locator("[data-testid=camera-plugin][data-plugin-id=motion] [data-testid=setting][data-setting=Threshold] input");
        await threshold.FillAsync("40");
        await threshold.PressAsync("Tab");
        // The edit reaches the server through the circuit on its own: wait until the camera shows it before saving.
        await Assertions.Expect(yard).ToHaveAttributeAsync("data-dirty", "true");
        await yard.Locator("[data-testid=camera-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=config-outcome]")).ToContainTextAsync("Saved as version 2; sent to the node");
        await Eventually.TrueAsync(async () => (await ConfigAsync(network)).GetProperty("appliedVersion").GetInt64() == 2, Soon, "the node to apply version 2");
        Assert.Equal(40, (await ConfigAsync(network)).GetProperty("cameras")[0].GetProperty("Plugins").GetProperty("motion").GetProperty("Threshold").GetInt32());

        // A camera added on the page; then back to the node's own version 1.
        await page.Locator("[data-testid=new-camera-id] input, input[data-testid=new-camera-id]").First.FillAsync("gate");
        await page.Locator("[data-testid=new-camera-kind]").ClickAsync();
        await page.Locator(".rz-dropdown-item:visible", new() { HasText = "synthetic" }).First.ClickAsync();
        await page.ClickAsync("[data-testid=new-camera-add]");
        await Assertions.Expect(page.Locator("[data-testid=camera-editor][data-camera-id=gate]")).ToBeVisibleAsync();
        // A new camera's ffmpeg starts from cold (encoder, first segment): on a loaded CI box that took over 30 s once.
        await Eventually.TrueAsync(async () => await CameraStateAsync(network, "gate") == "running", TimeSpan.FromSeconds(90), "the camera added on the page to run");
        await page.Locator("[data-testid=config-version-entry][data-version='1'] [data-testid=config-rollback]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=config-outcome]")).ToContainTextAsync("Saved as version 4");
        await Assertions.Expect(page.Locator("[data-testid=camera-editor][data-camera-id=gate]")).ToHaveCountAsync(0);
        await Eventually.TrueAsync(async () => (await ConfigAsync(network)).GetProperty("appliedVersion").GetInt64() == 4, Soon, "the node to apply the rollback");
        Assert.False(network.Node.HasExited);
        var audit = await network.Http.GetFromJsonAsync<JsonElement[]>("api/audit?actor=admin");
        Assert.Contains(audit!, e => e.GetProperty("action").GetString() == "change camera" && e.GetProperty("via").GetString() == "web" && e.GetProperty("outcome").GetString() == "version 2");
        Assert.Contains(audit!, e => e.GetProperty("action").GetString() == "roll back configuration" && e.GetProperty("target").GetString() == "node e2e-node to version 1");
        await Browser.ScreenshotAsync(page, "node-config");

        var phone = await browser.OpenSignedInAsync(network.Server.WebAddress, "nodes/e2e-node/config", phone: true);
        await Browser.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("[data-testid=camera-editor][data-camera-id=yard]")).ToBeVisibleAsync();
        Assert.False(await Browser.OverflowsSidewaysAsync(phone), "the configuration page scrolls sideways on a phone");
        await Browser.ScreenshotAsync(phone, "node-config-phone");
    }

    /// <summary>Uploads a package, rolls it out to the node and waits until the node runs its version.</summary>
    private static async Task RollOutAsync(DemoNetwork network, string zip)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(zip));
        using var uploaded = await network.Http.PostAsync("api/plugin-packages", content);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var package = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        using var started = await network.Http.PostAsJsonAsync("api/plugin-rollouts", new { packageId = package.GetProperty("id").GetString(), nodes = new[] { "e2e-node" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var rollout = (await started.Content.ReadFromJsonAsync<JsonElement[]>())![0].GetProperty("id").GetInt64();
        var version = package.GetProperty("version").GetString();
        var state = await Eventually.GetAsync<string>(
            async () => (await network.Http.GetFromJsonAsync<JsonElement[]>("api/plugin-rollouts?node=e2e-node"))!.Single(r => r.GetProperty("id").GetInt64() == rollout) is var r
                && r.GetProperty("state").GetString() is "installed" or "failed" ? $"{r.GetProperty("state").GetString()} {r.GetProperty("error").GetString()}" : null,
            TimeSpan.FromSeconds(90),
            $"rollout {rollout} to finish");
        Assert.Equal("installed ", state);
        await Eventually.TrueAsync(async () => (await MotionAsync(network, "instances"))?.GetProperty("version").GetString() == version, Soon, $"the camera's motion instance to run {version}");
    }

    private static async Task<JsonElement?> MotionAsync(DemoNetwork network, string list) =>
        (await network.Http.GetFromJsonAsync<JsonElement>("api/nodes/e2e-node/plugins")).GetProperty(list).EnumerateArray().Cast<JsonElement?>().FirstOrDefault(p => p!.Value.GetProperty("id").GetString() == "motion");

    /// <summary>
    /// Health as Prometheus scrapes it: the node's own endpoint shows the new camera's frame rate and its motion
    /// plugin's call times; the server's shows the camera as its node reported it.
    /// </summary>
    private async Task NewCameraInMetricsAsync(DemoNetwork network)
    {
        using var scraper = new HttpClient();
        string[] nodeSeries =
        [
            """cctvedge_camera_running\{[^}]*camera="gate"[^}]*\} 1\b""",
            """cctvedge_camera_fps_per_second\{[^}]*camera="gate"[^}]*\} [1-9]""",
            """cctvedge_plugin_call_duration_seconds_count\{[^}]*camera="gate"[^}]*plugin="motion"[^}]*\} [1-9]""",
            """cctvedge_plugin_frames_processed_total\{[^}]*camera="gate"[^}]*\} [1-9]""",
            """cctvedge_node_pending_results\{[^}]*\} \d+""",
            "service_name=\"cctvedge-node\"",
        ];
        string[] serverSeries =
        [
            """cctvedge_camera_running\{[^}]*camera="gate"[^}]*node="e2e-node"[^}]*\} 1\b""",
            """cctvedge_results_ingested_total\{[^}]*node="e2e-node"[^}]*\} [1-9]""",
        ];

        // The camera has only just started: its first scrapes may show it starting, at 0 fps.
        var node = await ScrapeUntilAsync(scraper, network.NodeMetrics, nodeSeries, "the node's metrics to show the new camera");
        var server = await ScrapeUntilAsync(scraper, new Uri(network.Server.WebAddress, "/metrics"), serverSeries, "the server's metrics to show the node's new camera");

        Assert.All(nodeSeries, series => Assert.Matches(series, node));
        Assert.All(serverSeries, series => Assert.Matches(series, server));

        // Every series the Grafana dashboard in docs/ plots is one the server or a node really exports.
        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "grafana-dashboard.json"));
        var plotted = System.Text.RegularExpressions.Regex.Matches(dashboard, "(cctvedge|http_server)_[a-z_]+").Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(plotted);
        Assert.All(plotted, name => Assert.True(node.Contains(name + "{", StringComparison.Ordinal) || server.Contains(name + "{", StringComparison.Ordinal), $"{name} is in the dashboard but neither endpoint exports it"));
        output.WriteLine($"node /metrics: {node.Length} bytes; server /metrics: {server.Length} bytes");
    }

    private static Task<string> ScrapeUntilAsync(HttpClient scraper, Uri endpoint, string[] series, string what) =>
        Eventually.GetAsync<string>(
            async () => await scraper.GetStringAsync(endpoint) is var text && series.All(s => System.Text.RegularExpressions.Regex.IsMatch(text, s)) ? text : null,
            Soon,
            what);

    private static async Task<JsonElement> ConfigAsync(DemoNetwork network) => await network.Http.GetFromJsonAsync<JsonElement>("api/nodes/e2e-node/config");

    private static async Task<JsonElement?> CameraAsync(DemoNetwork network, string cameraId) =>
        (await network.NodeStatusAsync()).GetProperty("cameras").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("id").GetString() == cameraId);

    private static async Task<string?> CameraStateAsync(DemoNetwork network, string cameraId) =>
        (await CameraAsync(network, cameraId))?.GetProperty("state").GetString();

    private static async Task<DateTimeOffset> SnapshotTimeAsync(DemoNetwork network, string cameraId) =>
        (await CameraAsync(network, cameraId)) is { } camera && camera.GetProperty("snapshotAt").ValueKind == JsonValueKind.String
            ? camera.GetProperty("snapshotAt").GetDateTimeOffset()
            : DateTimeOffset.MinValue;
}
