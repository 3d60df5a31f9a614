using System.ComponentModel;
using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion;

/// <summary>
/// The motion plugin's settings for one camera (node config <c>Cameras:N:Plugins:motion</c>); every value has a
/// working default. The pipeline: downscale, blur, compare with a running-average background, threshold, mask,
/// opening and closing, connected components within area limits, then events.
/// </summary>
public sealed class MotionSettings
{
    /// <summary>Shrinks frames by this factor (1, 2 or 4) before anything else; the camera's Detect size is the first knob.</summary>
    public int Downscale { get; set; } = 1;

    /// <summary>Gaussian blur size: 0 (none), 3 or 5 pixels; hides sensor noise and small shakes.</summary>
    public int BlurSize { get; set; } = 5;

    /// <summary>A pixel has changed when it differs from the background by more than this (1..254).</summary>
    public int Threshold { get; set; } = 25;

    /// <summary>How fast the background follows still pixels, per frame (1/256..1, in steps of 1/256).</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>How fast the background follows pixels that changed (at most <see cref="Alpha"/>): slowly, so a passing animal leaves no ghost.</summary>
    public double ForegroundAlpha { get; set; } = 0.004;

    /// <summary>
    /// Seconds a pixel may stay changed before it learns at <see cref="Alpha"/> again: something that stopped (a parked
    /// car), the ghost of something that left, or a light not caught as a global change becomes background.
    /// </summary>
    public double AbsorbSeconds { get; set; } = 5;

    /// <summary>Opening iterations (3x3 erode, then dilate): removes specks and thin lines (noise, rain, shake edges).</summary>
    public int Open { get; set; } = 1;

    /// <summary>Closing iterations (3x3 dilate, then erode): joins the parts of one object.</summary>
    public int Close { get; set; } = 2;

    /// <summary>Smallest moving region that counts, in percent of the frame.</summary>
    public double MinAreaPercent { get; set; } = 0.05;

    /// <summary>Largest moving region that counts, in percent of the frame.</summary>
    public double MaxAreaPercent { get; set; } = 50;

    /// <summary>A frame has motion when its counted regions cover at least this share of the frame, in percent.</summary>
    public double MinChangedPercent { get; set; } = 0.1;

    /// <summary>
    /// When this share of the watched pixels changes at once (lights, the IR switch, an exposure jump), the background
    /// is re-seeded and no event raised. A light changes most of the picture; an animal rarely covers 40 % of a yard camera.
    /// </summary>
    public double GlobalChangePercent { get; set; } = 40;

    /// <summary>Seconds after a global change during which the background keeps re-seeding (exposure settling).</summary>
    public double GlobalChangeHoldSeconds { get; set; } = 1;

    /// <summary>When true, a frame needs more than mean + <see cref="AdaptiveK"/> standard deviations of the recent magnitude.</summary>
    public bool Adaptive { get; set; }

    /// <summary>Standard deviations above the recent mean that the adaptive threshold asks for.</summary>
    public double AdaptiveK { get; set; } = 3;

    /// <summary>Seconds of magnitude history behind the adaptive threshold.</summary>
    public double AdaptiveWindowSeconds { get; set; } = 60;

    /// <summary>Consecutive motion frames needed to start an event.</summary>
    public int MinFrames { get; set; } = 2;

    /// <summary>Seconds without motion that end an event; shorter gaps merge into one event.</summary>
    public double GapSeconds { get; set; } = 3;

    /// <summary>The longest event, in seconds; longer motion is split into several events.</summary>
    public double MaxEventSeconds { get; set; } = 120;

    /// <summary>Seconds between published motion-magnitude values (the window's peak); 0 publishes every frame.</summary>
    public double MagnitudeIntervalSeconds { get; set; } = 1;

    /// <summary>Areas to ignore (a road, a tree), as polygons in 0..1 frame coordinates.</summary>
    [Description("Areas to ignore (a road, a tree): polygons whose points are fractions (0..1) of the frame's width and height.")]
    public List<MotionPolygon> Masks { get; set; } = [];

    /// <summary>Named areas; each event lists the zones its motion touched.</summary>
    [Description("Named areas; each event lists the zones its motion touched. Points are fractions (0..1) of the frame's width and height.")]
    public List<MotionPolygon> Zones { get; set; } = [];

    /// <summary>Parameter sets for times of day (night: IR noise), in the node's local time.</summary>
    public List<MotionProfile> Profiles { get; set; } = [];

    /// <summary>Throws <see cref="PluginSettingsException"/> naming the first bad value.</summary>
    public void Validate() => SettingsRules.Validate(this);

    /// <summary>A copy with the profile's values in place of these; masks, zones and profiles are shared.</summary>
    internal MotionSettings WithProfile(MotionProfile profile)
    {
        var copy = (MotionSettings)MemberwiseClone();
        copy.Threshold = profile.Threshold ?? Threshold;
        copy.Alpha = profile.Alpha ?? Alpha;
        copy.ForegroundAlpha = profile.ForegroundAlpha ?? ForegroundAlpha;
        copy.MinAreaPercent = profile.MinAreaPercent ?? MinAreaPercent;
        copy.MinChangedPercent = profile.MinChangedPercent ?? MinChangedPercent;
        copy.Adaptive = profile.Adaptive ?? Adaptive;
        copy.AdaptiveK = profile.AdaptiveK ?? AdaptiveK;
        return copy;
    }
}

/// <summary>A polygon in frame coordinates: each point is <c>[x, y]</c>, fractions (0..1) of the width and height.</summary>
public sealed class MotionPolygon
{
    /// <summary>The zone's name, shown with events (required for zones, optional for masks).</summary>
    [Description("Shown with events: 1 to 32 characters, unique; required for zones, optional for masks.")]
    public string Name { get; set; } = "";

    /// <summary>Three to 64 points, e.g. <c>[[0.1, 0.2], [0.4, 0.2], [0.4, 0.6]]</c>; the edges must not cross.</summary>
    [Description("3 to 64 points [x, y], each a fraction (0..1) of the frame's width and height; the edges must not cross.")]
    public double[][] Points { get; set; } = [];
}

/// <summary>
/// Values that apply from <see cref="From"/> to <see cref="To"/> (local time of day; may wrap past midnight). Unset
/// values keep the camera's own.
/// </summary>
public sealed class MotionProfile
{
    /// <summary>A name for logs and event payloads, e.g. night.</summary>
    public string Name { get; set; } = "";

    /// <summary>Start, as a time of day such as 19:00.</summary>
    public TimeSpan From { get; set; }

    /// <summary>End (exclusive), as a time of day such as 06:30.</summary>
    public TimeSpan To { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.Threshold"/>.</summary>
    public int? Threshold { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.Alpha"/>.</summary>
    public double? Alpha { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.ForegroundAlpha"/>.</summary>
    public double? ForegroundAlpha { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.MinAreaPercent"/>.</summary>
    public double? MinAreaPercent { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.MinChangedPercent"/>.</summary>
    public double? MinChangedPercent { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.Adaptive"/>.</summary>
    public bool? Adaptive { get; set; }

    /// <summary>Overrides <see cref="MotionSettings.AdaptiveK"/>.</summary>
    public double? AdaptiveK { get; set; }
}
