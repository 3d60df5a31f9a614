using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Events;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Internal;

/// <summary>What the analyzer made of a frame.</summary>
/// <param name="Change">The event that opened or closed with this frame.</param>
/// <param name="MagnitudePercent">Moving share of the frame (0 when the frame was not compared).</param>
/// <param name="ThresholdPercent">The alert threshold the frame was held to; the frame had motion when the magnitude reached it.</param>
internal readonly record struct FrameOutcome(MotionEvent? Change, double MagnitudePercent, double ThresholdPercent);

/// <summary>
/// Everything between a frame and an event, without the SDK: picks the profile for the time of day, runs the detector,
/// holds off after a global change, applies the fixed or adaptive threshold and feeds the event tracker. Time comes
/// only from the frames' timestamps, so tests and the benchmark replay footage exactly.
/// </summary>
internal sealed class MotionAnalyzer
{
    private readonly double _framesPerSecond;
    private readonly TimeZoneInfo _timeZone;
    private readonly KernelPath _path;
    private readonly MotionEventTracker _tracker;
    private MotionSetup _setup;
    private MotionSettings _settings;
    private MotionDetector? _detector;
    private AdaptiveThreshold? _adaptive;
    private int _profile = -1;
    private DateTimeOffset _holdUntil;

    public MotionAnalyzer(MotionSetup setup, double framesPerSecond, TimeZoneInfo timeZone, KernelPath path)
    {
        _setup = setup;
        _settings = setup.Settings;
        _framesPerSecond = framesPerSecond;
        _timeZone = timeZone;
        _path = path;
        _tracker = new MotionEventTracker(_settings);
    }

    /// <summary>The settings in force (the camera's, or the active profile's).</summary>
    public MotionSettings Settings => _settings;

    public string? Profile => _setup.Profiles.NameFor(_profile);

    /// <summary>Takes new settings; the background is kept unless the detection size changes, and open events go on.</summary>
    public void Apply(MotionSetup setup)
    {
        _setup = setup;
        _profile = -1;
        _adaptive = null;
        Use(setup.Settings);
    }

    /// <summary>Analyses a frame known to be well formed (see <see cref="FrameCheck"/>).</summary>
    public FrameOutcome Analyze(ReadOnlySpan<byte> pixels, int width, int height, int stride, DateTimeOffset now)
    {
        var profile = _setup.Profiles.ActiveAt(TimeZoneInfo.ConvertTime(now, _timeZone).TimeOfDay);
        if (profile != _profile)
        {
            _profile = profile;
            Use(_setup.Profiles.SettingsFor(profile));
        }

        var detector = DetectorFor(width, height);
        var motion = detector.Process(pixels, stride, learnOnly: now < _holdUntil);
        if (motion.Kind == FrameKind.GlobalChange)
        {
            _holdUntil = now + TimeSpan.FromSeconds(_settings.GlobalChangeHoldSeconds);
        }

        var threshold = ThresholdPercent(detector.Layout.Pixels);
        var compared = motion.Kind == FrameKind.Compared;
        if (compared)
        {
            _adaptive?.Add(now, motion.MovingPixels);
        }

        var hasMotion = compared && motion.MovingPixels > 0 && motion.MagnitudePercent >= threshold;
        var regions = _setup.RegionsFor(detector.Layout);
        var change = _tracker.Update(now, hasMotion, motion.MagnitudePercent, detector.Blobs, detector.Layout, motion.Zones, regions.ZoneNames);
        return new FrameOutcome(change, compared ? motion.MagnitudePercent : 0, threshold);
    }

    private void Use(MotionSettings settings)
    {
        _settings = settings;
        _tracker.Configure(settings);
        if (_detector is not null && _detector.Downscale == settings.Downscale)
        {
            _detector.Configure(settings, _setup.RegionsFor(_detector.Layout));
        }
        else
        {
            _detector = null;
        }
    }

    private MotionDetector DetectorFor(int width, int height)
    {
        if (_detector is null || _detector.FrameWidth != width || _detector.FrameHeight != height)
        {
            var layout = MotionDetector.DetectionLayout(width, height, _settings.Downscale);
            _detector = new MotionDetector(width, height, _framesPerSecond, _settings, _setup.RegionsFor(layout), _path);
            _adaptive = null;
        }

        return _detector;
    }

    private double ThresholdPercent(int pixels)
    {
        if (!_settings.Adaptive)
        {
            return _settings.MinChangedPercent;
        }

        _adaptive ??= new AdaptiveThreshold(TimeSpan.FromSeconds(_settings.AdaptiveWindowSeconds), _framesPerSecond);
        return Math.Max(_settings.MinChangedPercent, _adaptive.Level(_settings.AdaptiveK) * 100 / pixels);
    }
}
