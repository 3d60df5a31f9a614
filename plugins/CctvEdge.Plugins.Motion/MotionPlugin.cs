using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion;

/// <summary>
/// The motion plugin: detects motion on the camera's gray frames, publishes motion events (when they open and when
/// they close) and a motion-magnitude series.
/// </summary>
public sealed class MotionPlugin : IFrameAnalyzer
{
    /// <summary>The event kind this plugin publishes.</summary>
    public const string EventKind = "motion";

    /// <summary>The measurement this plugin publishes, in percent of pixels changed.</summary>
    public const string MagnitudeName = "motion.magnitude";

    private IPluginContext _context = null!;
    private MotionSettings _settings = new();
    private MotionDetector? _detector;
    private MotionEventTracker _tracker = null!;
    private DateTimeOffset _magnitudeWindowStart;
    private double _magnitudeWindowPeak;

    /// <inheritdoc />
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = context.BindSettings<MotionSettings>();
        _settings.Validate();
        _tracker = new MotionEventTracker(_settings);
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest()));
    }

    /// <inheritdoc />
    public async ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken)
    {
        if (_detector is null || _detector.Width != frame.Width || _detector.Height != frame.Height)
        {
            _detector = new MotionDetector(frame.Width, frame.Height, _settings);
        }

        var motion = _detector.Process(frame.Pixels.Span, frame.Stride);
        foreach (var change in _tracker.Update(frame.Timestamp, motion, frame.Width, frame.Height))
        {
            await _context.Results.PublishAsync(ToPluginEvent(change), cancellationToken).ConfigureAwait(false);
        }

        await PublishMagnitudeAsync(frame.Timestamp, motion, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask PublishMagnitudeAsync(DateTimeOffset now, FrameMotion motion, CancellationToken cancellationToken)
    {
        if (_magnitudeWindowStart == default)
        {
            _magnitudeWindowStart = now;
        }

        // One value per interval, the window's peak: a graph of peaks shows short movements that an average hides.
        _magnitudeWindowPeak = Math.Max(_magnitudeWindowPeak, motion.GlobalChange ? 0 : motion.ChangedPercent);
        if (now - _magnitudeWindowStart >= TimeSpan.FromSeconds(_settings.MagnitudeIntervalSeconds))
        {
            await _context.Results.PublishAsync(new PluginMeasurement(MagnitudeName, Math.Round(_magnitudeWindowPeak, 3), "%", now), cancellationToken).ConfigureAwait(false);
            _magnitudeWindowStart = now;
            _magnitudeWindowPeak = 0;
        }
    }

    private static PluginEvent ToPluginEvent(MotionEvent e) => new(e.Id, EventKind, e.Start)
    {
        End = e.End,
        Peak = Math.Round(e.Peak, 3),
        Boxes = e.Box is { } box ? [box] : [],
        Payload = new MotionPayload(e.MotionFrames),
    };
}

/// <summary>What a motion event carries besides its standard fields.</summary>
/// <param name="MotionFrames">Frames with motion in the event so far.</param>
public sealed record MotionPayload(int MotionFrames);
