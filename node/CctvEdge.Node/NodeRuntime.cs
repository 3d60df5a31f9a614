using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
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
/// The node's moving parts: builds one worker per camera, has the plugin host start one plugin instance per enabled
/// camera-plugin pair (and follow plugin folder and config changes), and runs them until the host stops. The uplink
/// reads its state for hello and heartbeats.
/// </summary>
internal sealed partial class NodeRuntime(
    IOptions<NodeOptions> node,
    IOptions<FfmpegOptions> ffmpeg,
    IOptions<CamerasOptions> cameras,
    PluginHost plugins,
    IProcessRunner processes,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService, ICameraSet
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger = loggers.CreateLogger<NodeRuntime>();

    /// <summary>Completes once plugins are loaded and instances started, before frames flow.</summary>
    public Task Ready => _ready.Task;

    public IReadOnlyList<CameraWorker> Cameras { get; private set; } = [];

    /// <summary>The plugin instances now running (they change when plugin folders or the config change).</summary>
    public IReadOnlyList<PluginInstance> Instances => plugins.Instances;

    public PluginCatalog Catalog => plugins.Catalog;

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = node.Value;
        Directory.CreateDirectory(options.ResolvedDataDirectory);
        Cameras = cameras.Value.Items
            .Select(c => new CameraWorker(c, ffmpeg.Value, Path.Combine(options.ResolvedDataDirectory, "cameras", c.Id), processes, clock, loggers.CreateLogger("CctvEdge.Node.Camera." + c.Id)))
            .ToList();
        await plugins.StartAsync(Cameras, stoppingToken).ConfigureAwait(false);
        _ready.TrySetResult();
        var instances = plugins.Instances;
        LogRunning(_logger, options.Id, Cameras.Count, instances.Count(i => i.State == InstanceState.Running), instances.Count);

        try
        {
            await Task.WhenAll([plugins.RunAsync(stoppingToken), .. Cameras.Select(c => c.RunAsync(stoppingToken))]).ConfigureAwait(false);
        }
        finally
        {
            await plugins.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Node {NodeId} running: {Cameras} camera(s), {Running} of {Instances} plugin instance(s) running.")]
    private static partial void LogRunning(ILogger logger, string nodeId, int cameras, int running, int instances);
}
