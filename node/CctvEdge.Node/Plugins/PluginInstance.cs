using CctvEdge.Node.Cameras;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// One plugin running on one camera, on the lifecycle every plugin instance shares (<see cref="PluginRunner{TPlugin}"/>):
/// frames wait in a queue of two, so when the plugin falls behind new frames are dropped and counted rather than
/// blocking the camera or other plugins; calls are guarded (one at a time, exceptions and slow calls counted, a plugin
/// that keeps failing or never returns switched off and reported); start, new settings and dispose have time limits,
/// so a plugin stuck there cannot stall the node either. This class adds what is the node's: the camera's feeds and
/// settings that change while the plugin runs.
/// </summary>
internal sealed partial class PluginInstance : IFrameConsumer, IEventSink, IAsyncDisposable
{
    private const int QueueLength = 2;
    private const int EventQueueLength = 1000;

    private readonly CameraWorker _camera;
    private readonly Func<PluginAssignment, IPluginContext> _createContext;
    private readonly PluginRunner<ICameraPlugin> _runner;
    private readonly ILogger _logger;
    private PluginSubscription _subscription = PluginSubscription.None;

    public PluginInstance(string pluginId, InstalledPlugin? plugin, PluginAssignment assignment, CameraWorker camera, Func<PluginAssignment, IPluginContext> createContext, CallLimits limits, ILogger logger)
    {
        PluginId = pluginId;
        Plugin = plugin;
        Assignment = assignment;
        _camera = camera;
        _createContext = createContext;
        _logger = logger;
        _runner = new PluginRunner<ICameraPlugin>($"Plugin {pluginId} on camera {camera.Camera.Id}", "the plugin's frames are dropped and a node restart reclaims the thread.", limits, logger,
            metricTags: [new("plugin", pluginId), new("camera", camera.Camera.Id)]);
        _runner.SwitchedOff += Detach;
    }

    public string PluginId { get; }

    /// <summary>The loaded plugin this instance runs; null when it is not installed.</summary>
    public InstalledPlugin? Plugin { get; }

    /// <summary>The settings the instance runs with.</summary>
    public PluginAssignment Assignment { get; private set; }

    /// <summary>Settings the plugin refused, so the same refusal is not tried again until they change.</summary>
    public PluginAssignment? Refused { get; private set; }

    public string CameraId => _camera.Camera.Id;

    /// <summary>The camera worker it watches; a camera whose video settings change gets a new worker.</summary>
    public CameraWorker Camera => _camera;

    public string Version => Plugin?.Version ?? "";

    public InstanceState State => _runner.State;

    public string Error => _runner.Error;

    /// <summary>A problem that did not stop the instance: the latest exception, refused settings.</summary>
    public string Warning => _runner.Warning;

    public bool CanReconfigure => _runner.Plugin is IReconfigurable && State == InstanceState.Running;

    public (long Processed, long Dropped, long Errors, long OverBudget) Counters => _runner.Counters;

    /// <summary>An instance of <paramref name="plugin"/> (null when not installed) on <paramref name="camera"/>, wired to the outbox.</summary>
    public static PluginInstance Create(CameraWorker camera, InstalledPlugin? plugin, PluginAssignment assignment, IResultOutbox outbox, IClipRecorder clips, CallLimits limits, TimeProvider clock, ILoggerFactory loggers)
    {
        var options = camera.Camera;
        var pluginId = assignment.PluginId;
        var logger = loggers.CreateLogger($"Plugin.{pluginId}.{options.Id}");
        var descriptor = new CameraDescriptor(options.Id, options.DisplayName, options.Detect.Width, options.Detect.Height, options.Detect.Fps);
        var publisher = new OutboxResultPublisher(options.Id, pluginId, outbox, camera.Events, clock);
        return new PluginInstance(pluginId, plugin, assignment, camera, a => new PluginContext(pluginId, descriptor, a, publisher, camera.Snapshots, clips, logger, clock), limits, logger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await PrepareAsync(cancellationToken).ConfigureAwait(false))
        {
            Attach();
        }
    }

    /// <summary>Creates the plugin and calls its StartAsync; false (and failed, with the reason) when that does not work.</summary>
    public async Task<bool> PrepareAsync(CancellationToken cancellationToken)
    {
        if (Plugin is not { IsLoaded: true } plugin)
        {
            _runner.Fail(Plugin is null ? $"plugin '{PluginId}' is not installed in the plugins directory." : $"plugin '{PluginId}' failed to load: {Plugin.Error}");
            return false;
        }

        var assignment = Assignment;
        return await _runner.StartAsync(
                async stop =>
                {
                    var context = _createContext(assignment);
                    var instance = plugin.CreateInstance();
                    _subscription = await instance.StartAsync(context, stop).ConfigureAwait(false);
                    return instance;
                },
                cancellationToken,
                ex => ex is PluginSettingsException ? $"invalid settings: {ex.Message}" : null)
            .ConfigureAwait(false);
    }

    /// <summary>Starts feeding the prepared plugin what its subscription asks for.</summary>
    public void Attach()
    {
        _runner.Run();
        LogStarted(_logger, PluginId, CameraId, Version);
        AttachFeeds(_subscription);
    }

    /// <summary>
    /// Gives an <see cref="IReconfigurable"/> plugin new settings, between its other calls. Refused settings leave the
    /// old ones in force and are reported as the instance's warning.
    /// </summary>
    public async Task ReconfigureAsync(PluginAssignment assignment, CancellationToken cancellationToken)
    {
        var reconfigurable = (IReconfigurable)_runner.Plugin!;
        var context = _createContext(assignment);
        var outcome = await _runner.CallAndWaitAsync(nameof(IReconfigurable.ReconfigureAsync), stop => reconfigurable.ReconfigureAsync(context, stop), cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            // The guard's watchdog reports the hung call and switches the instance off.
            return;
        }

        if (outcome == CallOutcome.Completed)
        {
            Assignment = assignment;
            Refused = null;
            _runner.Warning = "";
            LogReconfigured(_logger, PluginId, CameraId);
        }
        else
        {
            var error = _runner.LastError;
            RefuseSettings(assignment, error is PluginSettingsException ? error.Message : $"{error?.GetType().Name}: {error?.Message}");
        }
    }

    /// <summary>Records that <paramref name="assignment"/> was refused; the instance keeps its settings.</summary>
    public void RefuseSettings(PluginAssignment assignment, string reason)
    {
        Refused = assignment;
        _runner.Warning = $"new settings not applied, the previous ones stay in force: {reason}";
        LogSettingsRefused(_logger, PluginId, CameraId, _runner.Warning);
    }

    /// <summary>Stops feeding the plugin, lets it finish what is queued (drain), then disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        Detach();
        await _runner.DisposeAsync().ConfigureAwait(false);
    }

    private void Detach()
    {
        _camera.Frames.Remove(this);
        _camera.Events.Remove(this);
        DetachColorFeed();
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} running on camera {CameraId}.")]
    private static partial void LogStarted(ILogger logger, string pluginId, string cameraId, string version);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information, Message = "Plugin {PluginId} on camera {CameraId} took new settings.")]
    private static partial void LogReconfigured(ILogger logger, string pluginId, string cameraId);

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId}: {Warning}")]
    private static partial void LogSettingsRefused(ILogger logger, string pluginId, string cameraId, string warning);
}
