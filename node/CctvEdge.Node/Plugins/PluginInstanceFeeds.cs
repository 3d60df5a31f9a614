using CctvEdge.Node.Cameras;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>How a plugin instance is fed: frames (scaled and thinned to its request), ticks and events.</summary>
internal sealed partial class PluginInstance
{
    private FrameRequest? _request;
    private TimeSpan _framePeriod;
    private TimeSpan _frameSlack;
    private bool _thinFrames;
    private DateTimeOffset _nextFrameDue;
    private byte[]? _scaled;
    private long _processed;
    private long _dropped;

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

    private void AttachFeeds(PluginSubscription subscription)
    {
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
                        await CallAsync(nameof(IFrameAnalyzer.OnFrameAsync), () => analyzer.OnFrameAsync(ToGrayFrame(frame), stop), stop).ConfigureAwait(false);
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
                await CallAsync(nameof(ITickHandler.OnTickAsync), () => handler.OnTickAsync(DateTimeOffset.UtcNow, stop), stop).ConfigureAwait(false);
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
                    await CallAsync(nameof(IEventObserver.OnEventAsync), () => observer.OnEventAsync(pluginEvent, publisher, stop), stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task CallAsync(string name, Func<ValueTask> call, CancellationToken stop)
    {
        var outcome = await _guard.RunAsync(name, call, stop).ConfigureAwait(false);
        if (outcome is CallOutcome.Failed or CallOutcome.Broken && _guard.LastError is { } ex)
        {
            var errors = _guard.Counters.Errors;
            Warning = $"{name} threw {ex.GetType().Name}: {ex.Message} ({errors} errors so far)";
            // The first failure and then every hundredth: enough to diagnose without flooding the log.
            if (errors == 1 || errors % 100 == 0)
            {
                LogPluginThrew(_logger, PluginId, CameraId, errors, ex);
            }
        }

        if (outcome == CallOutcome.Broken)
        {
            Detach();
            Fail($"switched off after {_limits.FailuresBeforeBreaking} failures in a row; last: {_guard.LastError?.GetType().Name}: {_guard.LastError?.Message}");
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

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Plugin {PluginId} on camera {CameraId} threw ({Errors} errors so far).")]
    private static partial void LogPluginThrew(ILogger logger, string pluginId, string cameraId, long errors, Exception exception);
}
