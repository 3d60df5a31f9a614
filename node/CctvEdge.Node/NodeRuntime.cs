using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node;

/// <summary>
/// The node's moving parts: loads the plugins, builds one worker per camera and one plugin instance per enabled
/// camera-plugin pair, and runs them until the host stops. The uplink reads its state for hello and heartbeats.
/// </summary>
/// <summary>The node's cameras, once they exist; what recording and the disk guard need of the runtime.</summary>
internal interface ICameraSet
{
    Task Ready { get; }

    IReadOnlyList<CameraWorker> Cameras { get; }
}

internal sealed partial class NodeRuntime(
    IOptions<NodeOptions> node,
    IOptions<FfmpegOptions> ffmpeg,
    IOptions<CamerasOptions> cameras,
    PluginCatalog catalog,
    IProcessRunner processes,
    IResultOutbox outbox,
    ClipQueue clipQueue,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService, ICameraSet
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger = loggers.CreateLogger<NodeRuntime>();

    /// <summary>Completes once plugins are loaded and instances started, before frames flow.</summary>
    public Task Ready => _ready.Task;

    public IReadOnlyList<CameraWorker> Cameras { get; private set; } = [];

    public IReadOnlyList<PluginInstance> Instances { get; private set; } = [];

    public PluginCatalog Catalog => catalog;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = node.Value;
        Directory.CreateDirectory(options.ResolvedDataDirectory);
        catalog.LoadAll(options.ResolvedPluginsDirectory);

        Cameras = cameras.Value.Items
            .Select(c => new CameraWorker(c, ffmpeg.Value, Path.Combine(options.ResolvedDataDirectory, "cameras", c.Id), processes, clock, loggers.CreateLogger("CctvEdge.Node.Camera." + c.Id)))
            .ToList();
        var instances = new List<PluginInstance>();
        foreach (var camera in Cameras)
        {
            var clips = new ClipRecorder(camera.Camera, clipQueue);
            foreach (var (pluginId, settings) in camera.Camera.Plugins)
            {
                if (!PluginContext.IsEnabled(settings))
                {
                    continue;
                }

                var id = pluginId.ToLowerInvariant();
                var instance = PluginInstance.Create(camera, id, catalog.Find(id), settings, outbox, clips, clock, loggers);
                await instance.StartAsync(stoppingToken).ConfigureAwait(false);
                instances.Add(instance);
            }
        }

        Instances = instances;
        _ready.TrySetResult();
        LogRunning(_logger, options.Id, Cameras.Count, instances.Count(i => i.State == PluginInstanceState.Running), instances.Count);

        try
        {
            await Task.WhenAll(Cameras.Select(c => c.RunAsync(stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Node {NodeId} running: {Cameras} camera(s), {Running} of {Instances} plugin instance(s) running.")]
    private static partial void LogRunning(ILogger logger, string nodeId, int cameras, int running, int instances);
}
