using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion;

/// <summary>The motion plugin's settings for one camera; every value has a working default.</summary>
public sealed class MotionSettings
{
    /// <summary>A pixel counts as changed when it differs from the background by more than this (1..254).</summary>
    public int Threshold { get; set; } = 25;

    /// <summary>How fast the background follows the picture, per frame (0..1]; small values remember longer.</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>A frame has motion when at least this share of its pixels changed, in percent.</summary>
    public double MinChangedPercent { get; set; } = 0.3;

    /// <summary>A frame where more than this share changed is a global change (lights, IR switch), in percent.</summary>
    public double GlobalChangePercent { get; set; } = 60;

    /// <summary>Consecutive motion frames needed to start an event.</summary>
    public int MinFrames { get; set; } = 2;

    /// <summary>Seconds without motion that end an event; shorter gaps merge into one event.</summary>
    public double GapSeconds { get; set; } = 3;

    /// <summary>The longest event, in seconds; longer motion is split into several events.</summary>
    public double MaxEventSeconds { get; set; } = 120;

    /// <summary>Seconds between published motion-magnitude values.</summary>
    public double MagnitudeIntervalSeconds { get; set; } = 1;

    /// <summary>Throws <see cref="PluginSettingsException"/> naming the first bad value.</summary>
    public void Validate()
    {
        Check(Threshold is >= 1 and <= 254, nameof(Threshold), Threshold, "between 1 and 254");
        Check(Alpha is > 0 and <= 1, nameof(Alpha), Alpha, "greater than 0 and at most 1");
        Check(MinChangedPercent is > 0 and < 100, nameof(MinChangedPercent), MinChangedPercent, "between 0 and 100");
        Check(GlobalChangePercent > MinChangedPercent && GlobalChangePercent <= 100, nameof(GlobalChangePercent), GlobalChangePercent, $"above MinChangedPercent ({MinChangedPercent}) and at most 100");
        Check(MinFrames is >= 1 and <= 1000, nameof(MinFrames), MinFrames, "between 1 and 1000");
        Check(GapSeconds is >= 0 and <= 3600, nameof(GapSeconds), GapSeconds, "between 0 and 3600");
        Check(MaxEventSeconds > GapSeconds && MaxEventSeconds <= 86400, nameof(MaxEventSeconds), MaxEventSeconds, $"above GapSeconds ({GapSeconds}) and at most 86400");
        Check(MagnitudeIntervalSeconds is >= 0.1 and <= 3600, nameof(MagnitudeIntervalSeconds), MagnitudeIntervalSeconds, "between 0.1 and 3600");
    }

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new PluginSettingsException($"motion setting {name} must be {rule} (was {value}).");
        }
    }
}
