using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>A plugin context that records what the plugin publishes; <see cref="Settings"/> is what BindSettings returns.</summary>
internal sealed class FakePluginContext(DetectionSettings settings, int width = 1280, int height = 720) : IPluginContext, IResultPublisher, ISnapshotSource
{
    public DetectionSettings Settings { get; set; } = settings;

    public List<object> Published { get; } = [];

    public IEnumerable<PluginEvent> Events => Published.OfType<PluginEvent>();

    public IEnumerable<PluginFile> Files => Published.OfType<PluginFile>();

    public string PluginId => "detection";

    public CameraDescriptor Camera { get; } = new("yard", "Yard", width, height, 5);

    public IResultPublisher Results => this;

    public ISnapshotSource Snapshots => this;

    public IClipRecorder Clips => throw new NotSupportedException("The detection plugin does not cut clips.");

    public ILogger Logger => NullLogger.Instance;

    public TimeProvider Clock { get; } = new FakeTimeProvider(DateTimeOffset.UtcNow);

    public JpegSnapshot? Latest => null;

    public T BindSettings<T>()
        where T : class, new() => (Settings as T)!;

    public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default) => Record(pluginEvent);

    public ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default) => Record(measurement);

    public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) => Record(file);

    private ValueTask Record(object result)
    {
        Published.Add(result);
        return ValueTask.CompletedTask;
    }
}
