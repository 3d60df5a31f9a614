using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Metrics;

/// <summary>
/// The server's own metrics (meter <c>CctvEdge.Server</c>), for the people who run it: what is ingested, what the
/// clip store holds, and what each node last reported of its backlogs and cameras, so one scrape of the server shows
/// the whole fleet (nodes behind NAT cannot be scraped directly). Prometheus names: dots become underscores, counters
/// end in <c>_total</c>, e.g. <c>cctvedge_results_ingested_total</c>.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "CctvEdge.Server";
    private static readonly TimeSpan StoreSizeMaxAge = TimeSpan.FromSeconds(30);

    private readonly Counter<long> _results;
    private readonly Counter<long> _clips;
    private readonly Counter<long> _clipBytes;
    private readonly Counter<long> _snapshotBytes;
    private readonly Counter<long> _ruleEvents;
    private readonly Counter<double> _ruleTime;
    private readonly Counter<long> _notificationsSent;
    private readonly Counter<long> _notificationsFailed;
    private readonly Counter<long> _notificationsDead;
    private readonly ConcurrentDictionary<string, Heartbeat> _heartbeats = new(StringComparer.Ordinal);
    private readonly ClipQueries _clipQueries;
    private readonly TimeProvider _clock;
    private (DateTimeOffset At, long Bytes) _storeSize = (DateTimeOffset.MinValue, 0);

    public ServerMetrics(IMeterFactory meters, SessionRegistry sessions, ClipQueries clipQueries, Leadership leadership, TimeProvider clock)
    {
        _clipQueries = clipQueries;
        _clock = clock;
        var meter = meters.Create(MeterName);
        _results = meter.CreateCounter<long>("cctvedge.results.ingested", "{result}", "Results stored (events, measurements, files), by node");
        _clips = meter.CreateCounter<long>("cctvedge.clips.stored", "{clip}", "Clips whose upload completed and was verified");
        _clipBytes = meter.CreateCounter<long>("cctvedge.clips.received", "By", "Clip bytes stored");
        _snapshotBytes = meter.CreateCounter<long>("cctvedge.snapshots.received", "By", "Snapshot bytes stored: what the overview and the live grid cost the link");
        _ruleEvents = meter.CreateCounter<long>("cctvedge.notifications.rules.events", "{event}", "Events the notification rules were applied to");
        _ruleTime = meter.CreateCounter<double>("cctvedge.notifications.rules.time", "s", "Time spent applying the rules and queueing deliveries (one transaction per batch of events)");
        _notificationsSent = meter.CreateCounter<long>("cctvedge.notifications.sent", "{message}", "Deliveries a channel took, by channel");
        _notificationsFailed = meter.CreateCounter<long>("cctvedge.notifications.failed", "{attempt}", "Delivery attempts that failed, by channel");
        _notificationsDead = meter.CreateCounter<long>("cctvedge.notifications.dead", "{message}", "Deliveries given up after the last try, by channel");
        meter.CreateObservableGauge("cctvedge.nodes.connected", () => sessions.Count, "{node}", "Nodes with an open session");
        meter.CreateObservableGauge("cctvedge.server.leader", () => leadership.IsLeader ? 1 : 0, "1", "1 while this server leads: of several replicas over one database, it runs the periodic jobs");
        meter.CreateObservableGauge("cctvedge.clip_store.size", ClipStoreBytes, "By", "Bytes of stored clips");
        meter.CreateObservableGauge(
            "cctvedge.node.connected",
            () => _heartbeats.Keys.Select(node => new Measurement<long>(sessions.IsConnected(node) ? 1 : 0, new KeyValuePair<string, object?>("node", node))),
            "{node}",
            "1 while the node has a session, 0 after it left");
        meter.CreateObservableGauge("cctvedge.node.pending_results", () => PerNode(h => (long)h.PendingResults), "{result}", "Results the node holds that the server has not acknowledged");
        meter.CreateObservableGauge("cctvedge.node.pending_clips", () => PerNode(h => (long)h.PendingClips), "{clip}", "Clips recorded on the node and not yet uploaded");
        meter.CreateObservableGauge("cctvedge.node.pending_clip_bytes", () => PerNode(h => (long)h.PendingClipBytes), "By", "Bytes of those clips");
        meter.CreateObservableGauge("cctvedge.node.lost_results", () => PerNode(h => (long)h.LostResults), "{result}", "Results the node dropped before they reached the server, since it started");
        meter.CreateObservableGauge("cctvedge.node.cpu", () => PerNode(h => h.CpuPercent / 100), "1", "The agent and its ffmpeg processes, in cores");
        meter.CreateObservableGauge("cctvedge.node.memory", () => PerNode(h => (long)h.MemoryBytes), "By", "Resident memory of the agent and its ffmpeg processes");
        meter.CreateObservableGauge("cctvedge.node.disk_free", () => PerNode(h => (long)h.DiskFreeBytes), "By", "Free space on the node's data disk");
        meter.CreateObservableGauge("cctvedge.camera.fps", () => PerCamera(c => c.FramesPerSecond), "{frame}/s", "Frames per second the camera delivers, as its node last reported");
        meter.CreateObservableGauge("cctvedge.camera.running", () => PerCamera(c => c.State == CameraState.Running ? 1L : 0L), "1", "1 while the camera streams");
    }

    /// <summary>Starts the node's counters at zero, so its series exist (and rates work) before its first result or clip.</summary>
    public void NodeConnected(string nodeId)
    {
        var node = new KeyValuePair<string, object?>("node", nodeId);
        _results.Add(0, node);
        _clips.Add(0, node);
        _clipBytes.Add(0, node);
        _snapshotBytes.Add(0, node);
    }

    public void ResultsIngested(string nodeId, int stored)
    {
        if (stored > 0)
        {
            _results.Add(stored, new KeyValuePair<string, object?>("node", nodeId));
        }
    }

    public void ClipStored(string nodeId, long bytes)
    {
        _clips.Add(1, new KeyValuePair<string, object?>("node", nodeId));
        _clipBytes.Add(bytes, new KeyValuePair<string, object?>("node", nodeId));
    }

    public void RulesApplied(int events, TimeSpan took)
    {
        _ruleEvents.Add(events);
        _ruleTime.Add(took.TotalSeconds);
    }

    /// <summary>One delivery attempt through <paramref name="channel"/>: sent, failed and retried, or failed for the last time.</summary>
    public void Delivery(string channel, bool sent, bool dead)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel);
        if (sent)
        {
            _notificationsSent.Add(1, tag);
            return;
        }

        _notificationsFailed.Add(1, tag);
        if (dead)
        {
            _notificationsDead.Add(1, tag);
        }
    }

    public void SnapshotStored(string nodeId, int bytes) => _snapshotBytes.Add(bytes, new KeyValuePair<string, object?>("node", nodeId));

    public void Heartbeat(string nodeId, Heartbeat heartbeat) => _heartbeats[nodeId] = heartbeat;

    private IEnumerable<Measurement<T>> PerNode<T>(Func<Heartbeat, T> value)
        where T : struct =>
        _heartbeats.Select(kv => new Measurement<T>(value(kv.Value), new KeyValuePair<string, object?>("node", kv.Key)));

    private IEnumerable<Measurement<T>> PerCamera<T>(Func<CameraStatus, T> value)
        where T : struct =>
        _heartbeats.SelectMany(kv => kv.Value.Cameras.Select(c => new Measurement<T>(
            value(c), new KeyValuePair<string, object?>("node", kv.Key), new KeyValuePair<string, object?>("camera", c.CameraId))));

    /// <summary>The clip store's size, from the database at most every 30 s: a scrape must stay cheap.</summary>
    private long ClipStoreBytes()
    {
        var (at, bytes) = _storeSize;
        if (_clock.GetUtcNow() - at < StoreSizeMaxAge)
        {
            return bytes;
        }

        // Observable instruments are read synchronously by the exporter; the query is one indexed SUM.
        bytes = _clipQueries.TotalsAsync(0, null, CancellationToken.None).GetAwaiter().GetResult().Total;
        _storeSize = (_clock.GetUtcNow(), bytes);
        return bytes;
    }
}
