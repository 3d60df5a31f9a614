using System.Diagnostics.Metrics;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CctvEdge.Node.Metrics;

/// <summary>
/// The node's metrics (meter <c>CctvEdge.Node</c>), read from the running state at each scrape: the outbox's and
/// the clip queue's backlogs (what a link outage piles up), losses, and each camera's frame rate and state, and
/// each plugin instance's counters. Plugin call times come from the shared lifecycle's meter (<see cref="PluginMetrics"/>).
/// </summary>
internal sealed class NodeMetrics : IHostedService
{
    public const string MeterName = "CctvEdge.Node";
    private static readonly TimeSpan ClipStatsMaxAge = TimeSpan.FromSeconds(5);

    private readonly ClipQueue _clips;
    private readonly TimeProvider _clock;
    private (DateTimeOffset At, long Count, long Bytes) _clipStats = (DateTimeOffset.MinValue, 0, 0);

    public NodeMetrics(IMeterFactory meters, NodeRuntime runtime, IResultOutbox outbox, ClipQueue clips, UploadStatus uploads, TimeProvider clock)
    {
        _clips = clips;
        _clock = clock;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("cctvedge.node.pending_results", () => outbox.PendingCount, "{result}", "Results not yet acknowledged by the server");
        meter.CreateObservableCounter("cctvedge.node.lost_results", () => outbox.LostCount, "{result}", "Results dropped before they reached the server, since start");
        meter.CreateObservableGauge("cctvedge.node.pending_clips", () => ClipStats().Count, "{clip}", "Clips recorded and not yet uploaded");
        meter.CreateObservableGauge("cctvedge.node.pending_clip_bytes", () => ClipStats().Bytes, "By", "Bytes of those clips");
        meter.CreateObservableCounter("cctvedge.node.lost_clips", () => uploads.LostClips, "{clip}", "Clips dropped before upload (disk guard), since start");
        meter.CreateObservableGauge("cctvedge.camera.fps", () => PerCamera(runtime, s => s.Fps), "{frame}/s", "Frames per second the camera delivers");
        meter.CreateObservableGauge("cctvedge.camera.running", () => PerCamera(runtime, s => s.State == CameraRunState.Running ? 1L : 0L), "1", "1 while the camera streams");
        meter.CreateObservableCounter("cctvedge.camera.frames", () => PerCamera(runtime, s => s.Frames), "{frame}", "Frames received since the camera started");
        meter.CreateObservableCounter("cctvedge.plugin.frames.processed", () => PerInstance(runtime, c => c.Processed), "{frame}", "Frames a plugin instance processed");
        meter.CreateObservableCounter("cctvedge.plugin.frames.dropped", () => PerInstance(runtime, c => c.Dropped), "{frame}", "Frames skipped because the instance fell behind");
        meter.CreateObservableCounter("cctvedge.plugin.errors", () => PerInstance(runtime, c => c.Errors), "{error}", "Exceptions a plugin instance threw");
        meter.CreateObservableCounter("cctvedge.plugin.calls.over_budget", () => PerInstance(runtime, c => c.OverBudget), "{call}", "Calls longer than Node:PluginCallBudgetMilliseconds");
    }

    /// <summary>Registers the metrics and, when <c>Metrics:Port</c> is set, the Prometheus endpoint on its own listener.</summary>
    public static void AddTo(IServiceCollection services, NodeMetricsOptions options, string nodeId)
    {
        if (options.Port <= 0)
        {
            return;
        }

        services.AddSingleton<NodeMetrics>();
        // A hosted service only so the instruments exist from the start, not from whoever asks first.
        services.AddHostedService(sp => sp.GetRequiredService<NodeMetrics>());
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cctvedge-node", serviceInstanceId: nodeId))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterName, PluginMetrics.MeterName, "System.Runtime")
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = options.ListenerHost;
                    listener.Port = options.Port;
                    listener.ScrapeEndpointPath = "/metrics";
                }));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<Measurement<T>> PerCamera<T>(NodeRuntime runtime, Func<(CameraRunState State, long Frames, double Fps), T> value)
        where T : struct =>
        runtime.Cameras.Select(camera =>
        {
            var (state, _, frames, _, fps) = camera.Status.Read();
            return new Measurement<T>(value((state, frames, fps)), new KeyValuePair<string, object?>("camera", camera.Camera.Id));
        });

    private static IEnumerable<Measurement<long>> PerInstance(NodeRuntime runtime, Func<(long Processed, long Dropped, long Errors, long OverBudget), long> value) =>
        runtime.Instances.Select(instance => new Measurement<long>(
            value(instance.Counters), new KeyValuePair<string, object?>("plugin", instance.PluginId), new KeyValuePair<string, object?>("camera", instance.CameraId)));

    /// <summary>The clip queue's totals, from the outbox at most every 5 s; the exporter reads gauges synchronously.</summary>
    private (long Count, long Bytes) ClipStats()
    {
        var (at, count, bytes) = _clipStats;
        if (_clock.GetUtcNow() - at >= ClipStatsMaxAge)
        {
            (count, bytes, _) = _clips.StatsAsync(CancellationToken.None).GetAwaiter().GetResult();
            _clipStats = (_clock.GetUtcNow(), count, bytes);
        }

        return (count, bytes);
    }
}
