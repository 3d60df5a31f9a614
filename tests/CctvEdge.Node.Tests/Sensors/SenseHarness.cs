using System.Collections.Concurrent;
using CctvEdge.Harness;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Simulation;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>
/// The built-in sense plugin loaded from the node's plugins folder as the node loads it, given the node's simulated
/// hardware (real bindings, register-level devices), a fake sysfs tree and a fake clock; what it publishes is kept.
/// </summary>
internal sealed class SenseHarness : IDisposable
{
    private readonly PluginFolders _folders = new();

    public SenseHarness()
    {
        Hardware = new SimulatedSensorHardware(Sysfs.Path, Clock);
        var catalog = _folders.Catalog();
        catalog.LoadAll(RepositoryPaths.NodePluginsDirectory);
        Plugin = catalog.Find("sense") ?? throw new InvalidOperationException("the sense plugin is not in the node's plugins folder");
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    public TempDirectory Sysfs { get; } = new("cctvedge-sysfs");

    public SimulatedSensorHardware Hardware { get; }

    public InstalledPlugin Plugin { get; }

    public ConcurrentQueue<PluginMeasurement> Measurements { get; } = new();

    public ConcurrentQueue<PluginEvent> Events { get; } = new();

    /// <summary>A started instance with <paramref name="settings"/> (Settings keys of one sensor).</summary>
    public async Task<(ISensorPlugin Plugin, SensorSubscription Subscription)> StartAsync(Dictionary<string, string?> settings)
    {
        var instance = Plugin.CreateSensor();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var context = new SensorContext("sense", new SensorDescriptor("barn", "Barn", null), configuration, "Sensors:0:Settings", new Recorder(this), Hardware, NullLogger.Instance, Clock);
        var subscription = await instance.StartAsync(context, CancellationToken.None);
        return (instance, subscription);
    }

    /// <summary>The latest value published under <paramref name="name"/>.</summary>
    public double Last(string name) => Measurements.Last(m => m.Name == name).Value;

    public string SysfsFile(string relative, string content)
    {
        var path = Sysfs.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        Hardware.Dispose();
        Sysfs.Dispose();
        _folders.Dispose();
    }

    private sealed class Recorder(SenseHarness harness) : IResultPublisher
    {
        public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default)
        {
            harness.Events.Enqueue(pluginEvent);
            return ValueTask.CompletedTask;
        }

        public ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default)
        {
            harness.Measurements.Enqueue(measurement);
            return ValueTask.CompletedTask;
        }

        public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
