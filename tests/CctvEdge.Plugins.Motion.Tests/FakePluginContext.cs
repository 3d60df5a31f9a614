using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Plugins.Motion.Tests;

/// <summary>
/// A plugin context that records what the plugin publishes and logs. <see cref="Settings"/> is what the next
/// BindSettings returns (a copy, as a real bind makes a new object); the clock's local time zone is UTC.
/// </summary>
internal sealed class FakePluginContext(MotionSettings settings, int width = Frames.Width, int height = Frames.Height) : IPluginContext, IResultPublisher, ISnapshotSource, ILogger
{
    public MotionSettings Settings { get; set; } = settings;

    public List<object> Published { get; } = [];

    public List<(LogLevel Level, string Message)> Logged { get; } = [];

    public string PluginId => "motion";

    public CameraDescriptor Camera { get; } = new("yard", "Yard", width, height, 5);

    public IResultPublisher Results => this;

    public ISnapshotSource Snapshots => this;

    public IClipRecorder Clips => throw new NotSupportedException("The motion plugin does not cut clips.");

    public ILogger Logger => this;

    // FakeTimeProvider's local time zone is UTC unless set.
    public TimeProvider Clock { get; } = new FakeTimeProvider(DateTimeOffset.UtcNow);

    public JpegSnapshot? Latest { get; set; }

    public IEnumerable<PluginEvent> Events => Published.OfType<PluginEvent>();

    public IEnumerable<PluginMeasurement> Measurements(string name) => Published.OfType<PluginMeasurement>().Where(m => m.Name == name);

    public T BindSettings<T>()
        where T : class, new() => (Settings.WithProfile(new MotionProfile()) as T)!;

    public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default) => Record(pluginEvent);

    public ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default) => Record(measurement);

    public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) => Record(file);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Logged.Add((logLevel, formatter(state, exception)));

    private ValueTask Record(object result)
    {
        Published.Add(result);
        return ValueTask.CompletedTask;
    }
}
