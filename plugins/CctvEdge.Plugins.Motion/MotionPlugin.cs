using CctvEdge.Plugins.Motion.Internal;
using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Motion.Internal.Events;
using CctvEdge.Plugins.Motion.Internal.Kernels;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Motion;

/// <summary>
/// The motion plugin: detects motion on the camera's gray frames (at the camera's Detect size, which ffmpeg scales
/// for free; <see cref="MotionSettings.Downscale"/> shrinks further), publishes motion events when they open and when
/// they close, a snapshot per event, and the motion-magnitude series with its alert threshold. Takes new settings
/// while running (<see cref="IReconfigurable"/>) and keeps the learned background when the size stays the same.
/// </summary>
[PluginSettings(typeof(MotionSettings))]
public sealed partial class MotionPlugin : IFrameAnalyzer, IReconfigurable
{
    /// <summary>The event kind this plugin publishes.</summary>
    public const string EventKind = "motion";

    /// <summary>The measurement of moving pixels, in percent of the frame.</summary>
    public const string MagnitudeName = "motion.magnitude";

    /// <summary>The alert threshold the magnitude is held to, in percent (fixed or adaptive).</summary>
    public const string ThresholdName = "motion.threshold";

    private readonly MagnitudeSeries _series = new();
    private IPluginContext _context = null!;
    private MotionAnalyzer _analyzer = null!;
    private string? _eventProfile;
    private string? _snapshotEventId;
    private DateTimeOffset _snapshotNotBefore;
    private long _badFrames;
    private string? _lastProblem;

    /// <inheritdoc />
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var setup = Setup(context);
        _context = context;
        _analyzer = new MotionAnalyzer(setup, context.Camera.DetectFps, context.Clock.LocalTimeZone, KernelPaths.Best);
        // Which kernels run where: a Pi should say Vector128 on Arm64 (NEON), an x64 box Vector256 (AVX2).
        LogKernels(context.Logger, context.Camera.Id, KernelPaths.Best, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture);
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest()));
    }

    /// <inheritdoc />
    public ValueTask ReconfigureAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Setup throws PluginSettingsException before anything changes, so refused settings leave the old ones running.
        var setup = Setup(context);
        _context = context;
        _analyzer.Apply(setup);
        LogReconfigured(context.Logger, context.Camera.Id);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken)
    {
        if (FrameCheck.Problem(frame, _analyzer.Settings.Downscale) is { } problem)
        {
            ReportBadFrame(frame.Number, problem);
            return;
        }

        var outcome = _analyzer.Analyze(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, frame.Timestamp);
        if (outcome.Change is { } change)
        {
            await PublishEventAsync(change, cancellationToken).ConfigureAwait(false);
        }
        else if (_snapshotEventId is not null && _context.Snapshots.Latest is { } latest && latest.CapturedAt >= _snapshotNotBefore)
        {
            await PublishSnapshotAsync(latest, cancellationToken).ConfigureAwait(false);
        }

        if (_series.Add(frame.Timestamp, outcome.MagnitudePercent, outcome.ThresholdPercent, _analyzer.Settings.MagnitudeIntervalSeconds, out var point))
        {
            await _context.Results.PublishAsync(new PluginMeasurement(MagnitudeName, point.Peak, "%", point.At), cancellationToken).ConfigureAwait(false);
            await _context.Results.PublishAsync(new PluginMeasurement(ThresholdName, point.Threshold, "%", point.At), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static MotionSetup Setup(IPluginContext context) =>
        MotionSetup.Create(context.BindSettings<MotionSettings>(), context.Camera.DetectWidth, context.Camera.DetectHeight);

    private async ValueTask PublishEventAsync(MotionEvent change, CancellationToken cancellationToken)
    {
        if (change.End is null)
        {
            _eventProfile = _analyzer.Profile;
        }

        await _context.Results.PublishAsync(ToPluginEvent(change), cancellationToken).ConfigureAwait(false);
        if (change.End is null)
        {
            // The snapshot should show the motion: wait for the first one taken after the event started.
            _snapshotEventId = change.Id;
            _snapshotNotBefore = change.Start;
        }
        else if (_snapshotEventId == change.Id && _context.Snapshots.Latest is { } latest)
        {
            await PublishSnapshotAsync(latest, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask PublishSnapshotAsync(JpegSnapshot snapshot, CancellationToken cancellationToken)
    {
        var eventId = _snapshotEventId!;
        _snapshotEventId = null;
        await _context.Results.PublishAsync(new PluginFile("image", $"motion-{eventId}.jpg", "image/jpeg", snapshot.Jpeg) { EventId = eventId }, cancellationToken).ConfigureAwait(false);
    }

    private void ReportBadFrame(long number, string problem)
    {
        // The first bad frame, every thousandth, and any new kind of problem: enough to see it, not a flood.
        if (++_badFrames == 1 || _badFrames % 1000 == 0 || problem != _lastProblem)
        {
            LogBadFrame(_context.Logger, _context.Camera.Id, number, _badFrames, problem);
        }

        _lastProblem = problem;
    }

    private PluginEvent ToPluginEvent(MotionEvent e) => new(e.Id, EventKind, e.Start)
    {
        End = e.End,
        Peak = Math.Round(e.Peak, 3),
        Boxes = e.Boxes,
        Zones = e.Zones,
        Payload = new MotionPayload(e.MotionFrames, _eventProfile),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Motion on camera {CameraId} skipped frame {Number} ({BadFrames} so far): {Problem}")]
    private static partial void LogBadFrame(ILogger logger, string cameraId, long number, long badFrames, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Motion on camera {CameraId} took new settings.")]
    private static partial void LogReconfigured(ILogger logger, string cameraId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Motion on camera {CameraId}: {Kernels} kernels on {Architecture}.")]
    private static partial void LogKernels(ILogger logger, string cameraId, KernelPath kernels, System.Runtime.InteropServices.Architecture architecture);
}

/// <summary>What a motion event carries besides its standard fields.</summary>
/// <param name="MotionFrames">Frames with motion in the event so far.</param>
/// <param name="Profile">The day/night profile in force when the event started, or null for the camera's own settings.</param>
public sealed record MotionPayload(int MotionFrames, string? Profile = null);
