using System.Diagnostics.Metrics;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// The plugin lifecycle's metrics, the same on the node (camera plugins) and the server (processors): how long each
/// guarded call takes. Exported by whichever host listens to <see cref="MeterName"/> (both serve it on /metrics).
/// </summary>
public static class PluginMetrics
{
    public const string MeterName = "CctvEdge.Plugins";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds per call, tagged with the plugin, its camera on a node, and the call (frame, tick, event, batch).</summary>
    internal static readonly Histogram<double> CallDuration = Meter.CreateHistogram(
        "cctvedge.plugin.call.duration",
        unit: "s",
        description: "Time of one guarded plugin call",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
}
