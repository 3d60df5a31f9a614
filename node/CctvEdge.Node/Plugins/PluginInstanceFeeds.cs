using CctvEdge.Node.Cameras;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Plugins;

/// <summary>How a plugin instance is fed: frames (scaled and thinned to its request), ticks and events, each through the runner.</summary>
internal sealed partial class PluginInstance
{
    private FrameRequest? _request;
    private RateThinner? _thinner;
    private byte[]? _scaled;
    private PluginQueue<SharedFrame>? _frames;
    private PluginQueue<(PluginEvent Event, string Publisher)>? _events;

    /// <summary>Queues an event for an observing plugin; events beyond a thousand waiting are dropped and counted.</summary>
    public void Offer(PluginEvent pluginEvent, string publisherId) => _events?.Offer((pluginEvent, publisherId));

    public void Offer(SharedFrame frame)
    {
        if (State != InstanceState.Running || _frames is not { } frames)
        {
            return;
        }

        if (_thinner?.Take(frame.Timestamp) == false)
        {
            return;
        }

        // The queue releases the reference it is given once the frame is handled, dropped or left over.
        frames.Offer(frame.AddReference());
    }

    private void AttachFeeds(PluginSubscription subscription)
    {
        var plugin = _runner.Plugin;
        if (subscription.Frames is { } request && plugin is IFrameAnalyzer)
        {
            _request = request;
            var cameraFps = _camera.Camera.Detect.Fps;
            _thinner = new RateThinner(request.Fps ?? cameraFps, cameraFps);
            _frames = _runner.AddQueue<SharedFrame>(
                QueueLength,
                nameof(IFrameAnalyzer.OnFrameAsync),
                (analyzer, frame, stop) => ((IFrameAnalyzer)analyzer).OnFrameAsync(ToGrayFrame(frame), stop),
                release: frame => frame.Release());
            _camera.Frames.Add(this);
        }

        if (subscription.TickInterval is { } interval && interval > TimeSpan.Zero && plugin is ITickHandler handler)
        {
            _runner.AddLoop(stop => TickLoopAsync(handler, interval, stop));
        }

        if (subscription.ColorFrames is { } colorRequest && plugin is IColorFrameAnalyzer)
        {
            AttachColorFeed(colorRequest);
        }

        if (plugin is IEventObserver)
        {
            _events = _runner.AddQueue<(PluginEvent Event, string Publisher)>(
                EventQueueLength,
                nameof(IEventObserver.OnEventAsync),
                (observer, item, stop) => ((IEventObserver)observer).OnEventAsync(item.Event, item.Publisher, stop),
                countProcessed: false);
            _camera.Events.Add(this);
        }
    }

    private async Task TickLoopAsync(ITickHandler handler, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(_runner.Draining).ConfigureAwait(false) && State == InstanceState.Running)
        {
            await _runner.CallAsync(nameof(ITickHandler.OnTickAsync), () => handler.OnTickAsync(DateTimeOffset.UtcNow, stop), stop).ConfigureAwait(false);
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
}
