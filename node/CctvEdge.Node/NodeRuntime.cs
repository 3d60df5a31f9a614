using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Protocol.V1;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node;

/// <summary>The node's cameras, once they exist; what recording and the disk guard need of the runtime.</summary>
internal interface ICameraSet
{
    Task Ready { get; }

    IReadOnlyList<CameraWorker> Cameras { get; }
}

/// <summary>
/// The node's moving parts: has the plugin host start a worker per enabled camera and one plugin instance per
/// enabled camera-plugin pair, follow plugin folder and configuration changes live, and run them until the host
/// stops. The uplink reads its state for hello and heartbeats.
/// </summary>
internal sealed partial class NodeRuntime(
    IOptions<NodeOptions> node,
    CameraConfiguration configuration,
    PluginHost plugins,
    SensorHost sensors,
    MicrocontrollerDevices microcontrollers,
    TimeProvider clock,
    ILogger<NodeRuntime> logger) : BackgroundService, ICameraSet
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once plugins are loaded and instances started, before frames flow.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The cameras now running (they change when the configuration does).</summary>
    public IReadOnlyList<CameraWorker> Cameras => plugins.Cameras;

    /// <summary>The cameras as configured, deactivated ones included, and the configuration's version.</summary>
    public CamerasOptions Configured => configuration.Current;

    /// <summary>The plugin instances now running (they change when plugin folders or the config change).</summary>
    public IReadOnlyList<PluginInstance> Instances => plugins.Instances;

    public PluginCatalog Catalog => plugins.Catalog;

    /// <summary>The node's sensors with their state, read by plugins (empty until started) or posting boards.</summary>
    public IEnumerable<SensorInfo> Sensors => sensors.Instances.Select(s => s.ToInfo()).Concat(microcontrollers.Infos());

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = node.Value;
        Directory.CreateDirectory(options.ResolvedDataDirectory);
        try
        {
            await plugins.StartAsync(stoppingToken, stoppingToken).ConfigureAwait(false);
            await sensors.StartAsync(plugins.Catalog, stoppingToken).ConfigureAwait(false);
            _ready.TrySetResult();
            var instances = plugins.Instances;
            LogRunning(logger, options.Id, Cameras.Count, instances.Count(i => i.State == InstanceState.Running), instances.Count, configuration.Version);
            await plugins.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await sensors.DisposeAsync().ConfigureAwait(false);
            await plugins.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Node {NodeId} running: {Cameras} camera(s), {Running} of {Instances} plugin instance(s) running; configuration version {Version} (0: the local file).")]
    private static partial void LogRunning(ILogger logger, string nodeId, int cameras, int running, int instances, ulong version);
}
