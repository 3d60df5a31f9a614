using System.Threading.Channels;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

internal enum PluginInstanceState
{
    Starting,
    Running,
    Failed,
    Disabled,
}

/// <summary>
/// One plugin running on one camera. Frames wait in a queue of two; when the plugin falls behind, new frames are
/// dropped and counted rather than blocking the camera or other plugins. Calls go through a <see cref="PluginCallGuard"/>:
/// one at a time, exceptions caught and counted, slow calls counted, a plugin that keeps failing or never returns
/// switched off and reported. Calls the host itself waits for (start, reconfigure, dispose) run on the thread pool
/// with a time limit, so a plugin stuck there cannot stall the node either.
/// </summary>
internal sealed partial class PluginInstance : IFrameConsumer, IEventSink, IAsyncDisposable
{
    private const int QueueLength = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly CameraWorker _camera;
    private readonly Func<PluginAssignment, IPluginContext> _createContext;
    private readonly CallLimits _limits;
    private readonly PluginCallGuard _guard;
    private readonly ILogger _logger;
    private readonly Channel<SharedFrame> _frames = Channel.CreateBounded<SharedFrame>(new BoundedChannelOptions(QueueLength) { SingleReader = true });
    private readonly Channel<(PluginEvent Event, string Publisher)> _events = Channel.CreateBounded<(PluginEvent, string)>(new BoundedChannelOptions(1000) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private ICameraPlugin? _instance;
    private PluginSubscription _subscription = PluginSubscription.None;

    public PluginInstance(string pluginId, InstalledPlugin? plugin, PluginAssignment assignment, CameraWorker camera, Func<PluginAssignment, IPluginContext> createContext, CallLimits limits, ILogger logger)
    {
        PluginId = pluginId;
        Plugin = plugin;
        Assignment = assignment;
        _camera = camera;
        _createContext = createContext;
        _limits = limits;
        _logger = logger;
        _guard = new PluginCallGuard(limits);
        _guard.Hung += OnHung;
        _guard.OverBudget += OnOverBudget;
    }

    public string PluginId { get; }

    /// <summary>The loaded plugin this instance runs; null when it is not installed.</summary>
    public InstalledPlugin? Plugin { get; }

    /// <summary>The settings the instance runs with.</summary>
    public PluginAssignment Assignment { get; private set; }

    /// <summary>Settings the plugin refused, so the same refusal is not tried again until they change.</summary>
    public PluginAssignment? Refused { get; private set; }

    public string CameraId => _camera.Camera.Id;

    public string Version => Plugin?.Version ?? "";

    public PluginInstanceState State { get; private set; } = PluginInstanceState.Starting;

    public string Error { get; private set; } = "";

    /// <summary>A problem that did not stop the instance: the latest exception, refused settings.</summary>
    public string Warning { get; private set; } = "";

    public bool CanReconfigure => _instance is IReconfigurable && State == PluginInstanceState.Running;

    public (long Processed, long Dropped, long Errors, long OverBudget) Counters
    {
        get
        {
            var (errors, overBudget) = _guard.Counters;
            return (Interlocked.Read(ref _processed), Interlocked.Read(ref _dropped), errors, overBudget);
        }
    }

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
        if (Plugin is null || !Plugin.IsLoaded)
        {
            Fail(Plugin is null ? $"plugin '{PluginId}' is not installed in the plugins directory." : $"plugin '{PluginId}' failed to load: {Plugin.Error}");
            return false;
        }

        try
        {
            var context = _createContext(Assignment);
            _subscription = await Task.Run(
                    async () =>
                    {
                        _instance = Plugin.CreateInstance();
                        return await _instance.StartAsync(context, cancellationToken).ConfigureAwait(false);
                    },
                    cancellationToken)
                .WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PluginSettingsException ex)
        {
            Fail($"invalid settings: {ex.Message}");
        }
        catch (TimeoutException)
        {
            Fail($"StartAsync did not finish within {StartTimeout.TotalSeconds}s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail($"failed to start: {ex.GetType().Name}: {ex.Message}");
        }

        return false;
    }

    /// <summary>Starts feeding the prepared plugin what its subscription asks for.</summary>
    public void Attach()
    {
        State = PluginInstanceState.Running;
        LogStarted(_logger, PluginId, CameraId, Version);
        AttachFeeds(_subscription);
    }

    /// <summary>
    /// Gives an <see cref="IReconfigurable"/> plugin new settings, between its other calls. Refused settings leave the
    /// old ones in force and are reported as the instance's warning.
    /// </summary>
    public async Task ReconfigureAsync(PluginAssignment assignment, CancellationToken cancellationToken)
    {
        var reconfigurable = (IReconfigurable)_instance!;
        var context = _createContext(assignment);
        CallOutcome outcome;
        try
        {
            outcome = await Task.Run(() => _guard.RunAsync(nameof(IReconfigurable.ReconfigureAsync), () => reconfigurable.ReconfigureAsync(context, _stop.Token), _stop.Token).AsTask(), cancellationToken)
                .WaitAsync(_limits.HangAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The guard's watchdog reports the hung call and switches the instance off.
            return;
        }

        if (outcome == CallOutcome.Completed)
        {
            Assignment = assignment;
            Refused = null;
            Warning = "";
            LogReconfigured(_logger, PluginId, CameraId);
        }
        else
        {
            var error = _guard.LastError;
            RefuseSettings(assignment, error is PluginSettingsException ? error.Message : $"{error?.GetType().Name}: {error?.Message}");
        }
    }

    /// <summary>Records that <paramref name="assignment"/> was refused; the instance keeps its settings.</summary>
    public void RefuseSettings(PluginAssignment assignment, string reason)
    {
        Refused = assignment;
        Warning = $"new settings not applied, the previous ones stay in force: {reason}";
        LogSettingsRefused(_logger, PluginId, CameraId, Warning);
    }

    /// <summary>Stops feeding the plugin, lets it finish what is queued (drain), then disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        Detach();
        _frames.Writer.TryComplete();
        _events.Writer.TryComplete();
        var drained = await WaitLoopsAsync(DrainTimeout).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        drained = drained || await WaitLoopsAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        if (drained)
        {
            while (_frames.Reader.TryRead(out var left))
            {
                left.Release();
            }
        }

        // A hung plugin is still inside a call; disposing it now would overlap that call.
        if (_instance is not null && !_guard.IsHung)
        {
            try
            {
                await Task.Run(() => _instance.DisposeAsync().AsTask()).WaitAsync(DrainTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogDisposeFailed(_logger, PluginId, CameraId, ex.Message);
            }
        }

        _instance = null;
        _guard.Dispose();
        _stop.Dispose();
    }

    private async Task<bool> WaitLoopsAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_loops).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private void Detach()
    {
        _camera.Frames.Remove(this);
        _camera.Events.Remove(this);
    }

    private void OnHung(string call, TimeSpan running)
    {
        Detach();
        Fail($"hung: {call} has not returned after {running.TotalSeconds:0}s; switched off. .NET cannot stop a stuck thread: the plugin's frames are dropped and a node restart reclaims the thread.");
        _stop.Cancel();
    }

    private void OnOverBudget(string call, TimeSpan took)
    {
        var count = _guard.Counters.OverBudget;
        // The first and then every hundredth: enough to notice a slow plugin without flooding the log.
        if (count == 1 || count % 100 == 0)
        {
            LogOverBudget(_logger, PluginId, CameraId, call, took.TotalMilliseconds, _limits.Budget.TotalMilliseconds, count);
        }
    }

    private void Fail(string error)
    {
        State = PluginInstanceState.Failed;
        Error = error;
        LogFailed(_logger, PluginId, CameraId, error);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} running on camera {CameraId}.")]
    private static partial void LogStarted(ILogger logger, string pluginId, string cameraId, string version);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Plugin {PluginId} on camera {CameraId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string pluginId, string cameraId, string error);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId} failed to stop cleanly: {Error}")]
    private static partial void LogDisposeFailed(ILogger logger, string pluginId, string cameraId, string error);

    [LoggerMessage(EventId = 314, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId}: {Call} took {Milliseconds:0} ms, over the {Budget:0} ms budget ({Count} slow calls so far).")]
    private static partial void LogOverBudget(ILogger logger, string pluginId, string cameraId, string call, double milliseconds, double budget, long count);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information, Message = "Plugin {PluginId} on camera {CameraId} took new settings.")]
    private static partial void LogReconfigured(ILogger logger, string pluginId, string cameraId);

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId}: {Warning}")]
    private static partial void LogSettingsRefused(ILogger logger, string pluginId, string cameraId, string warning);
}
