using CctvEdge.Plugins.Detection.Internal.Configuration;
using CctvEdge.Plugins.Detection.Internal.Model;
using CctvEdge.Plugins.Detection.Internal.Tracking;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Detection;

/// <summary>
/// Object detection: runs a user-supplied YOLO model (ONNX) on the camera's colour frames, every Nth frame or only
/// while the motion plugin has an event open (it observes the camera's events, <see cref="IEventObserver"/>), keeps
/// the objects the settings accept, follows each by overlap and publishes one <c>detection</c> event per object with
/// its label, score, box, zones, alert types and its best frame with the box drawn. A model that is missing or wrong
/// fails this plugin's start with the reason; the camera and its other plugins go on.
/// </summary>
[PluginSettings(typeof(DetectionSettings))]
public sealed partial class DetectionPlugin : IColorFrameAnalyzer, IEventObserver
{
    /// <summary>The event kind this plugin publishes.</summary>
    public const string EventKind = DetectionEvents.Kind;

    private readonly List<DetectedObject> _found = [];
    private readonly List<(DetectedObject, IReadOnlyList<string>, string)> _accepted = [];
    private readonly List<TrackedObject> _changed = [];
    private readonly HashSet<string> _openMotion = [];
    private IPluginContext _context = null!;
    private DetectionSettings _settings = null!;
    private IObjectDetector? _detector;
    private ObjectRules _rules = null!;
    private ObjectTracker _tracker = null!;
    private long _frames;

    /// <summary>Opens a model; tests replace it to count calls or stand in for ONNX Runtime.</summary>
    internal Func<DetectionSettings, IModelRunner> OpenModel { get; init; } = Detectors.OpenOnnx;

    /// <inheritdoc />
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return ValueTask.FromResult(Start(context));
        }
        catch (DetectionSettingsException ex)
        {
            // The node reports the SDK's settings error as "invalid settings" rather than a crash.
            throw new PluginSettingsException(ex.Message, ex);
        }
    }

    private PluginSubscription Start(IPluginContext context)
    {
        var settings = context.BindSettings<DetectionSettings>();
        settings.Validate();
        var names = Detectors.Names(settings);
        var rules = new ObjectRules(settings, names);
        _detector = Detectors.Open(settings, names, rules, OpenModel);
        (_context, _settings, _rules) = (context, settings, rules);
        _tracker = new ObjectTracker((float)settings.TrackIou, settings.MinFrames, TimeSpan.FromSeconds(settings.LostSeconds));
        LogModel(context.Logger, context.Camera.Id, settings.Backend, settings.ModelPath, _detector.Description);
        // Frames as wide as asked, with the camera's aspect (even, as ffmpeg's scaler wants): at a 640 model and
        // 640-wide frames the letterbox only pads.
        var height = Math.Max(2, (int)Math.Round(settings.FrameWidth * (double)context.Camera.DetectHeight / context.Camera.DetectWidth / 2) * 2);
        return new PluginSubscription(null) { ColorFrames = new FrameRequest(settings.FrameWidth, height, settings.Fps) };
    }

    /// <inheritdoc />
    public async ValueTask OnColorFrameAsync(ColorFrame frame, CancellationToken cancellationToken)
    {
        _changed.Clear();
        _tracker.Expire(frame.Timestamp, _changed);
        foreach (var ended in _changed)
        {
            await PublishAsync(ended, frame.Timestamp, cancellationToken).ConfigureAwait(false);
        }

        if ((_settings.OnlyDuringMotion && _openMotion.Count == 0) || _frames++ % _settings.EveryNthFrame != 0)
        {
            return;
        }

        _found.Clear();
        _detector!.Detect(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, _found);
        _accepted.Clear();
        foreach (var detection in _found)
        {
            var zones = new List<string>();
            if (_rules.Accepts(detection, frame.Width, frame.Height, zones))
            {
                _accepted.Add((detection, zones, _rules.Label(detection.ClassId)));
            }
        }

        _changed.Clear();
        _tracker.Update(_accepted, frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, frame.Timestamp, _changed);
        foreach (var opened in _changed)
        {
            await PublishAsync(opened, end: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask OnEventAsync(PluginEvent pluginEvent, string pluginId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pluginEvent);
        if (string.Equals(pluginId, _settings.MotionPlugin, StringComparison.OrdinalIgnoreCase))
        {
            if (pluginEvent.End is null)
            {
                _openMotion.Add(pluginEvent.EventId);
            }
            else
            {
                _openMotion.Remove(pluginEvent.EventId);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Events left open are closed by the node at its next start, as for every plugin.
        _detector?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The event when it opens or ends, and the snapshot when the best view is new.</summary>
    private async ValueTask PublishAsync(TrackedObject tracked, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        await _context.Results.PublishAsync(DetectionEvents.ToEvent(tracked, _rules, end), cancellationToken).ConfigureAwait(false);
        if (tracked.BestChanged)
        {
            await _context.Results.PublishAsync(DetectionEvents.Snapshot(tracked), cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Detection on camera {CameraId}: backend {Backend}, model {ModelPath}, {Detector}.")]
    private static partial void LogModel(ILogger logger, string cameraId, string backend, string modelPath, string detector);
}
