using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors;

/// <summary>
/// Runs one <see cref="SensorInstance"/> per enabled entry of <c>Sensors</c>, from the plugins the catalog loaded. The
/// section is read at start: a changed sensor takes effect when the node restarts (sensors are wired hardware, not
/// something the fleet hub moves around).
/// </summary>
internal sealed partial class SensorHost(
    IOptions<SensorsOptions> sensors,
    IOptions<NodeOptions> node,
    ISensorHardware hardware,
    IResultOutbox outbox,
    TimeProvider clock,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<SensorHost>();
    private IReadOnlyList<SensorInstance> _instances = [];

    public IReadOnlyList<SensorInstance> Instances => Volatile.Read(ref _instances);

    public async Task StartAsync(PluginCatalog catalog, CancellationToken cancellationToken)
    {
        var limits = new CallLimits(TimeSpan.FromMilliseconds(node.Value.PluginCallBudgetMilliseconds), TimeSpan.FromSeconds(node.Value.PluginHangSeconds));
        var started = new List<SensorInstance>();
        // Microcontrollers post to the node's endpoint (MicrocontrollerDevices): no plugin reads them.
        foreach (var sensor in sensors.Value.Items.Where(s => s.Enabled && !string.Equals(s.Plugin, MicrocontrollerDevices.PluginId, StringComparison.OrdinalIgnoreCase)))
        {
            var instance = new SensorInstance(sensor, catalog.Find(sensor.Plugin.ToLowerInvariant()), outbox, hardware, limits, clock, loggers);
            await instance.StartAsync(cancellationToken).ConfigureAwait(false);
            started.Add(instance);
        }

        Volatile.Write(ref _instances, started);
        if (started.Count > 0)
        {
            LogSensors(_logger, started.Count(s => s.State == InstanceState.Running), started.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Interlocked.Exchange(ref _instances, []))
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 341, Level = LogLevel.Information, Message = "{Running} of {Sensors} sensor(s) reading.")]
    private static partial void LogSensors(ILogger logger, int running, int sensors);
}
