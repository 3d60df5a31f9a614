using System.Net;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Tests;

/// <summary>
/// <c>/metrics</c> on the server's web port, scraped as Prometheus does: what was ingested and what each node last
/// reported, in the Prometheus text format; open to loopback by default, to a token otherwise.
/// </summary>
/// <remarks>
/// Alone, after the tests that run in parallel: OpenTelemetry picks meters up by name across the process, and a
/// test server beside this one that stops while this one is scraped takes the shared series with it.
/// </remarks>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_FromLoopback_ShowIngestBacklogsCamerasAndRequests()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        // OpenTelemetry listens to meters by name across the process, so the test servers running beside this one
        // show up in its scrape too: a node id of its own keeps its series apart. (One server runs per process in use.)
        var barn = "barn-" + Guid.NewGuid().ToString("N")[..8];
        await node.ConnectAsync(NodeSessionClient.Hello(barn, "yard"));
        await node.SendBatchAsync(NodeSessionClient.Measurement(1, 1.5), NodeSessionClient.Measurement(2, 2.5));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9]));
        var heartbeat = new Heartbeat { PendingResults = 7, PendingClips = 2, PendingClipBytes = 4096, MemoryBytes = 123456 };
        heartbeat.Cameras.Add(new CameraStatus { CameraId = "yard", State = CameraState.Running, FramesPerSecond = 4.5 });
        await node.SendAsync(new NodeMessage { Heartbeat = heartbeat });
        using var anonymous = new HttpClient { BaseAddress = server.WebAddress };

        var text = await CctvEdge.Testing.Eventually.GetAsync<string>(
            async () => await anonymous.GetStringAsync("/metrics") is var t && System.Text.RegularExpressions.Regex.IsMatch(t, $$"""cctvedge_node_pending_results\{[^}]*node="{{barn}}""") ? t : null,
            TimeSpan.FromSeconds(20),
            "the heartbeat to show in /metrics");

        Assert.Matches($$"""cctvedge_results_ingested_total\{[^}]*node="{{barn}}"[^}]*\} 2\b""", text);
        Assert.Matches($$"""cctvedge_node_pending_results\{[^}]*node="{{barn}}"[^}]*\} 7\b""", text);
        Assert.Matches($$"""cctvedge_snapshots_received_bytes_total\{[^}]*node="{{barn}}"[^}]*\} 7\b""", text);
        Assert.Matches($$"""cctvedge_node_pending_clip_bytes\{[^}]*node="{{barn}}"[^}]*\} 4096\b""", text);
        Assert.Matches($$"""cctvedge_camera_fps[a-z_]*\{[^}]*camera="yard"[^}]*node="{{barn}}"[^}]*\} 4.5\b""", text);
        Assert.Matches($$"""cctvedge_camera_running\{[^}]*camera="yard"[^}]*node="{{barn}}"[^}]*\} 1\b""", text);
        Assert.Matches("""cctvedge_nodes_connected\{[^}]*\} [1-9]""", text);
        Assert.Matches($$"""cctvedge_node_connected\{[^}]*node="{{barn}}"[^}]*\} 1\b""", text);
        // On SQLite a server always leads (replicas over PostgreSQL take turns).
        Assert.Matches("""cctvedge_server_leader\{[^}]*\} 1\b""", text);
        Assert.Contains("cctvedge_clip_store_size_bytes", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE cctvedge_results_ingested_total counter", text, StringComparison.Ordinal);
        Assert.Contains("service_name=\"cctvedge-server\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_FromOutsideTheAllowedNetworks_NeedAToken()
    {
        // Listed networks replace the loopback default: the caller (127.0.0.1) is then outside every allowed network.
        await using var server = await InProcessServer.StartAsync("--Metrics:AllowedNetworks:0", "10.0.0.0/8");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.WebAddress };
        using var withToken = server.BearerClient(await InProcessServer.CreateTokenAsync(server.Http, "prometheus", "read"));

        using var refused = await anonymous.GetAsync("/metrics");
        using var allowed = await withToken.GetAsync("/metrics");

        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("cctvedge_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("cctvedge_nodes_connected", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AllowedNetworkNotACidr_ServerRefusesToStart()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessServer.StartAsync("--Metrics:AllowedNetworks:0", "the office"));

        Assert.Contains("Metrics:AllowedNetworks: 'the office'", failure.Message, StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics, alone";
}
