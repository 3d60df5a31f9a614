using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Bench;

/// <summary>
/// The benchmark's host side of the plugin's results: events in a list (the latest version of each), and the last
/// magnitude and threshold so each frame's motion can be told. There is no camera, so no snapshot.
/// </summary>
internal sealed class BenchResults : IResultPublisher, ISnapshotSource, IClipRecorder
{
    private readonly Dictionary<string, int> _eventIndex = new(StringComparer.Ordinal);

    public List<PluginEvent> Events { get; } = [];

    public double LastMagnitude { get; private set; }

    public double LastThreshold { get; private set; }

    public JpegSnapshot? Latest => null;

    /// <summary>A benchmark records no video.</summary>
    public bool IsRecording => false;

    public ValueTask<string> RequestClipAsync(ClipRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The motion benchmark records no video.");

    public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default)
    {
        if (_eventIndex.TryGetValue(pluginEvent.EventId, out var at))
        {
            Events[at] = pluginEvent;
        }
        else
        {
            _eventIndex[pluginEvent.EventId] = Events.Count;
            Events.Add(pluginEvent);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default)
    {
        // The motion plugin's measurement names; the host never references a plugin's assembly.
        switch (measurement.Name)
        {
            case "motion.magnitude":
                LastMagnitude = measurement.Value;
                break;
            case "motion.threshold":
                LastThreshold = measurement.Value;
                break;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
