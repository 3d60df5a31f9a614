using CctvEdge.Plugins.Detection;
using CctvEdge.Plugins.Detection.Internal.Configuration;
using CctvEdge.Plugins.Detection.Internal.Model;
using CctvEdge.Server.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Processors.Detection;

/// <summary>
/// Central detection for nodes too small to detect: for the chosen cameras, the node plugin's detector runs on each
/// event's picture as it is stored (motion's snapshot) and on frames sampled from the event's clip once its upload is
/// stored, and the event gets the labels found (best score and box per label, alert types included). A node that
/// uploads on a metered schedule gets its labels when its clips come; the node needs nothing new.
/// </summary>
public sealed partial class CentralDetectionProcessor : IResultProcessor, IClipProcessor
{
    /// <summary>Events whose labels are remembered, so a clip's findings add to its picture's instead of replacing them.</summary>
    private const int RememberedEvents = 4096;

    private readonly Dictionary<(string Node, string Event), Dictionary<string, LabelFinding>> _labels = [];
    private readonly Queue<(string Node, string Event)> _order = new();
    private IProcessorContext _context = null!;
    private CentralDetectionSettings _settings = null!;
    private CameraSelection _cameras = null!;
    private HashSet<string> _plugins = null!;
    private IObjectDetector? _detector;
    private PictureLabels _pictures = null!;

    /// <inheritdoc />
    public ValueTask StartAsync(IProcessorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.BindSettings<CentralDetectionSettings>();
        try
        {
            settings.Validate();
            var names = Detectors.Names(settings);
            var rules = new ObjectRules(settings, names);
            _detector = Detectors.Open(settings, names, rules, Detectors.OpenOnnx);
            _pictures = new PictureLabels(_detector, rules);
        }
        catch (DetectionSettingsException ex)
        {
            throw new InvalidOperationException($"Processors:Settings:{context.ProcessorId}: {ex.Message}", ex);
        }

        (_context, _settings) = (context, settings);
        _cameras = new CameraSelection(settings.Cameras);
        _plugins = new HashSet<string>(settings.Plugins, StringComparer.OrdinalIgnoreCase);
        if (_cameras.IsEmpty)
        {
            LogNoCameras(context.Logger, context.ProcessorId);
        }
        else
        {
            LogStarted(context.Logger, string.Join(", ", settings.Cameras), settings.Backend, _detector.Description);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnResultsAsync(StoredResults batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var result in batch.Results)
        {
            if (result.File is not { EventId.Length: > 0 } file || !file.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                || !_plugins.Contains(result.PluginId) || !_cameras.Contains(batch.NodeId, result.CameraId))
            {
                continue;
            }

            var picture = await _context.Media.ReadEventImageAsync(batch.NodeId, file.EventId, _settings.FrameWidth, cancellationToken).ConfigureAwait(false);
            if (picture is not null)
            {
                var known = Remembered(batch.NodeId, file.EventId);
                if (_pictures.Add(picture.Pixels.Span, picture.Width, picture.Height, known))
                {
                    await LabelAsync(batch.NodeId, file.EventId, known, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask OnClipStoredAsync(StoredClipFile clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.EventId.Length == 0 || _settings.MaxClipFrames == 0 || !_cameras.Contains(clip.NodeId, clip.CameraId))
        {
            return;
        }

        var known = Remembered(clip.NodeId, clip.EventId);
        var improved = false;
        await foreach (var frame in _context.Media.ReadClipFramesAsync(clip.ClipId, _settings.ClipFramesPerSecond, _settings.FrameWidth, _settings.MaxClipFrames, cancellationToken).ConfigureAwait(false))
        {
            improved |= _pictures.Add(frame.Pixels.Span, frame.Width, frame.Height, known);
        }

        if (improved)
        {
            await LabelAsync(clip.NodeId, clip.EventId, known, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _detector?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Labels the event with all that is known of it (the processor's labels are replaced as a whole).</summary>
    private async ValueTask LabelAsync(string nodeId, string eventId, Dictionary<string, LabelFinding> known, CancellationToken cancellationToken)
    {
        var labels = known.Values.OrderByDescending(l => l.Score).Select(l => new EventLabel(l.Label, l.Score, l.Box)).ToList();
        if (await _context.Media.LabelEventAsync(nodeId, eventId, labels, cancellationToken).ConfigureAwait(false))
        {
            LogLabelled(_context.Logger, nodeId, eventId, string.Join(", ", labels.Select(l => $"{l.Label} {l.Score:0.00}")));
        }
    }

    private Dictionary<string, LabelFinding> Remembered(string nodeId, string eventId)
    {
        if (_labels.TryGetValue((nodeId, eventId), out var known))
        {
            return known;
        }

        if (_order.Count == RememberedEvents)
        {
            _labels.Remove(_order.Dequeue());
        }

        _order.Enqueue((nodeId, eventId));
        return _labels[(nodeId, eventId)] = new Dictionary<string, LabelFinding>(StringComparer.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Central detection for {Cameras}: backend {Backend}, {Detector}.")]
    private static partial void LogStarted(ILogger logger, string cameras, string backend, string detector);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Central detection has no cameras: set Processors:Settings:{ProcessorId}:Cameras to node/camera entries.")]
    private static partial void LogNoCameras(ILogger logger, string processorId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Event {EventId} of node {NodeId} labelled: {Labels}.")]
    private static partial void LogLabelled(ILogger logger, string nodeId, string eventId, string labels);
}
