using System.Threading.Channels;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;
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
/// dropped and counted rather than blocking the camera or other plugins. Exceptions are caught and counted; a plugin
/// that keeps failing is switched off and reported. Calls into the plugin never overlap.
/// </summary>
internal sealed partial class PluginInstance : IFrameConsumer, IEventSink, IAsyncDisposable
{
    private const int QueueLength = 2;
    private const int FailuresBeforeDisabling = 50;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly InstalledPlugin? _plugin;
    private readonly CameraWorker _camera;
    private readonly Func<IPluginContext> _createContext;
    private readonly ILogger _logger;
    private readonly Channel<SharedFrame> _frames = Channel.CreateBounded<SharedFrame>(new BoundedChannelOptions(QueueLength) { SingleReader = true });
    private readonly Channel<(PluginEvent Event, string Publisher)> _events = Channel.CreateBounded<(PluginEvent, string)>(new BoundedChannelOptions(1000) { SingleReader = true });
    private readonly SemaphoreSlim _calls = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private ICameraPlugin? _instance;
    private FrameRequest? _request;
    private TimeSpan _framePeriod;
    private TimeSpan _frameSlack;
    private bool _thinFrames;
    private DateTimeOffset _nextFrameDue;
    private byte[]? _scaled;
    private int _consecutiveFailures;
    private long _processed;
    private long _dropped;
    private long _errors;

    public PluginInstance(string pluginId, InstalledPlugin? plugin, CameraWorker camera, Func<IPluginContext> createContext, ILogger logger)
    {
        PluginId = pluginId;
        _plugin = plugin;
        _camera = camera;
        _createContext = createContext;
        _logger = logger;
    }

    public string PluginId { get; }

    /// <summary>An instance of <paramref name="plugin"/> (null when not installed) on <paramref name="camera"/>, wired to the outbox.</summary>
    public static PluginInstance Create(
        CameraWorker camera,
        string pluginId,
        InstalledPlugin? plugin,
        IConfigurationSection? settings,
        IResultOutbox outbox,
        IClipRecorder clips,
        TimeProvider clock,
        ILoggerFactory loggers)
    {
        var options = camera.Camera;
        var logger = loggers.CreateLogger($"Plugin.{pluginId}.{options.Id}");
        var descriptor = new CameraDescriptor(options.Id, options.DisplayName, options.Detect.Width, options.Detect.Height, options.Detect.Fps);
        return new PluginInstance(pluginId, plugin, camera, () => new PluginContext(
            pluginId,
            descriptor,
            PluginContext.PluginSettings(settings),
            $"{options.Path}:Plugins:{pluginId}",
            new OutboxResultPublisher(options.Id, pluginId, outbox, camera.Events, clock),
            camera.Snapshots,
            clips,
            logger,
            clock), logger);
    }

    public string CameraId => _camera.Camera.Id;

    public string Version => _plugin?.Version ?? "";

    public PluginInstanceState State { get; private set; } = PluginInstanceState.Starting;

    public string Error { get; private set; } = "";

    public (long Processed, long Dropped, long Errors) Counters => (Interlocked.Read(ref _processed), Interlocked.Read(ref _dropped), Interlocked.Read(ref _errors));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_plugin is null || !_plugin.IsLoaded)
        {
            Fail(_plugin is null ? $"plugin '{PluginId}' is not installed in the plugins directory." : $"plugin '{PluginId}' failed to load: {_plugin.Error}");
            return;
        }

        PluginSubscription subscription;
        try
        {
            _instance = _plugin.CreateInstance();
            subscription = await _instance.StartAsync(_createContext(), cancellationToken).AsTask().WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (PluginSettingsException ex)
        {
            Fail($"invalid settings: {ex.Message}");
            return;
        }
        catch (TimeoutException)
        {
            Fail($"StartAsync did not finish within {StartTimeout.TotalSeconds}s.");
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail($"failed to start: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        State = PluginInstanceState.Running;
        LogStarted(_logger, PluginId, CameraId);
        if (subscription.Frames is { } request)
        {
            _request = request;
            var cameraFps = _camera.Camera.Detect.Fps;
            var fps = request.Fps ?? cameraFps;
            _thinFrames = fps < cameraFps;
            _framePeriod = TimeSpan.FromSeconds(1 / Math.Max(fps, 0.001));
            // Half a camera frame of slack absorbs arrival jitter without ever taking a frame one interval early.
            _frameSlack = TimeSpan.FromSeconds(0.5 / cameraFps);
            _loops.Add(Task.Run(() => FrameLoopAsync(_stop.Token), CancellationToken.None));
            _camera.Frames.Add(this);
        }

        if (subscription.TickInterval is { } interval && interval > TimeSpan.Zero && _instance is ITickHandler)
        {
            _loops.Add(Task.Run(() => TickLoopAsync(interval, _stop.Token), CancellationToken.None));
        }

        if (_instance is IEventObserver)
        {
            _loops.Add(Task.Run(() => EventLoopAsync(_stop.Token), CancellationToken.None));
            _camera.Events.Add(this);
        }
    }

    /// <summary>Queues an event for an observing plugin; events beyond a thousand waiting are dropped and counted.</summary>
    public void Offer(PluginEvent pluginEvent, string publisherId)
    {
        if (State == PluginInstanceState.Running && !_events.Writer.TryWrite((pluginEvent, publisherId)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Offer(SharedFrame frame)
    {
        if (State != PluginInstanceState.Running)
        {
            return;
        }

        if (_thinFrames && !TakeForRate(frame.Timestamp))
        {
            return;
        }

        if (!_frames.Writer.TryWrite(frame.AddReference()))
        {
            frame.Release();
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Thins the camera's rate down to the plugin's, keeping the schedule rather than drifting.</summary>
    private bool TakeForRate(DateTimeOffset timestamp)
    {
        var first = _nextFrameDue == default;
        if (!first && timestamp < _nextFrameDue - _frameSlack)
        {
            return false;
        }

        // After a long pause (camera restart), start a new schedule instead of catching up with a burst.
        _nextFrameDue = first || timestamp - _nextFrameDue > _framePeriod ? timestamp + _framePeriod : _nextFrameDue + _framePeriod;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _camera.Frames.Remove(this);
        _camera.Events.Remove(this);
        _frames.Writer.TryComplete();
        _events.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        while (_frames.Reader.TryRead(out var left))
        {
            left.Release();
        }

        if (_instance is not null)
        {
            try
            {
                await _instance.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogDisposeFailed(_logger, PluginId, CameraId, ex.Message);
            }
        }

        _stop.Dispose();
    }

    private async Task FrameLoopAsync(CancellationToken stop)
    {
        var analyzer = _instance as IFrameAnalyzer;
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    if (analyzer is not null && State == PluginInstanceState.Running)
                    {
                        await CallAsync(() => analyzer.OnFrameAsync(ToGrayFrame(frame), stop), stop).ConfigureAwait(false);
                        Interlocked.Increment(ref _processed);
                    }
                }
                finally
                {
                    frame.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task TickLoopAsync(TimeSpan interval, CancellationToken stop)
    {
        var handler = (ITickHandler)_instance!;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && State == PluginInstanceState.Running)
            {
                await CallAsync(() => handler.OnTickAsync(DateTimeOffset.UtcNow, stop), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task EventLoopAsync(CancellationToken stop)
    {
        var observer = (IEventObserver)_instance!;
        try
        {
            await foreach (var (pluginEvent, publisher) in _events.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                if (State == PluginInstanceState.Running)
                {
                    await CallAsync(() => observer.OnEventAsync(pluginEvent, publisher, stop), stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task CallAsync(Func<ValueTask> call, CancellationToken stop)
    {
        await _calls.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            await call().ConfigureAwait(false);
            _consecutiveFailures = 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            var errors = Interlocked.Increment(ref _errors);
            // The first failure and then every hundredth: enough to diagnose without flooding the log.
            if (errors == 1 || errors % 100 == 0)
            {
                LogPluginThrew(_logger, PluginId, CameraId, errors, ex);
            }

            if (++_consecutiveFailures >= FailuresBeforeDisabling)
            {
                _camera.Frames.Remove(this);
                _camera.Events.Remove(this);
                Fail($"switched off after {FailuresBeforeDisabling} failures in a row; last: {ex.GetType().Name}: {ex.Message}");
            }
        }
        finally
        {
            _calls.Release();
        }
    }

    private GrayFrame ToGrayFrame(SharedFrame frame)
    {
        var width = _request?.Width ?? frame.Width;
        var height = _request?.Height ?? frame.Height;
        if (width == frame.Width && height == frame.Height)
        {
            return new GrayFrame(frame.Pixels, frame.Width, frame.Height, frame.Width, frame.Number, frame.Timestamp);
        }

        _scaled ??= new byte[width * height];
        FrameScaler.Scale(frame.Pixels.Span, frame.Width, frame.Height, _scaled, width, height);
        return new GrayFrame(_scaled, width, height, width, frame.Number, frame.Timestamp);
    }

    private void Fail(string error)
    {
        State = PluginInstanceState.Failed;
        Error = error;
        LogFailed(_logger, PluginId, CameraId, error);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Plugin {PluginId} running on camera {CameraId}.")]
    private static partial void LogStarted(ILogger logger, string pluginId, string cameraId);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Plugin {PluginId} on camera {CameraId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string pluginId, string cameraId, string error);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId} threw ({Errors} errors so far).")]
    private static partial void LogPluginThrew(ILogger logger, string pluginId, string cameraId, long errors, Exception exception);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId} failed to stop cleanly: {Error}")]
    private static partial void LogDisposeFailed(ILogger logger, string pluginId, string cameraId, string error);
}
