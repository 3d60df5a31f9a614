using System.Globalization;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Internal.Configuration;

/// <summary>Checks <see cref="MotionSettings"/>; each failure names the setting, its value and the rule.</summary>
internal static class SettingsRules
{
    public const int MaxPolygons = 32;
    public const int MaxProfiles = 8;

    /// <summary>The finest learning rate the fixed-point background can apply.</summary>
    public const double MinAlpha = 1.0 / 256;

    public static void Validate(MotionSettings s)
    {
        ValidateTunables(s, "");
        Check(s.Downscale is 1 or 2 or 4, nameof(s.Downscale), s.Downscale, "1, 2 or 4");
        Check(s.BlurSize is 0 or 3 or 5, nameof(s.BlurSize), s.BlurSize, "0 (off), 3 or 5");
        Check(s.Open is >= 0 and <= 5, nameof(s.Open), s.Open, "between 0 and 5");
        Check(s.Close is >= 0 and <= 10, nameof(s.Close), s.Close, "between 0 and 10");
        Check(s.MaxAreaPercent > s.MinAreaPercent && s.MaxAreaPercent <= 100, nameof(s.MaxAreaPercent), s.MaxAreaPercent, $"above MinAreaPercent ({s.MinAreaPercent}) and at most 100");
        Check(s.GlobalChangePercent > s.MinChangedPercent && s.GlobalChangePercent <= 100, nameof(s.GlobalChangePercent), s.GlobalChangePercent, $"above MinChangedPercent ({s.MinChangedPercent}) and at most 100");
        Check(s.AbsorbSeconds is >= 0.2 and <= 3600, nameof(s.AbsorbSeconds), s.AbsorbSeconds, "between 0.2 and 3600");
        Check(s.GlobalChangeHoldSeconds is >= 0 and <= 60, nameof(s.GlobalChangeHoldSeconds), s.GlobalChangeHoldSeconds, "between 0 and 60");
        Check(s.AdaptiveWindowSeconds is >= 5 and <= 3600, nameof(s.AdaptiveWindowSeconds), s.AdaptiveWindowSeconds, "between 5 and 3600");
        Check(s.MinFrames is >= 1 and <= 1000, nameof(s.MinFrames), s.MinFrames, "between 1 and 1000");
        Check(s.GapSeconds is >= 0 and <= 3600, nameof(s.GapSeconds), s.GapSeconds, "between 0 and 3600");
        Check(s.MaxEventSeconds > s.GapSeconds && s.MaxEventSeconds <= 86400, nameof(s.MaxEventSeconds), s.MaxEventSeconds, $"above GapSeconds ({s.GapSeconds}) and at most 86400");
        Check(s.MagnitudeIntervalSeconds == 0 || s.MagnitudeIntervalSeconds is >= 0.1 and <= 3600, nameof(s.MagnitudeIntervalSeconds), s.MagnitudeIntervalSeconds, "0 (every frame) or between 0.1 and 3600");
        PolygonRules.Validate(s.Masks, nameof(s.Masks), namesRequired: false);
        PolygonRules.Validate(s.Zones, nameof(s.Zones), namesRequired: true);
        ProfileSchedule.Validate(s);
    }

    /// <summary>The values a profile may override, checked on the settings a profile produces.</summary>
    public static void ValidateTunables(MotionSettings s, string prefix)
    {
        Check(s.Threshold is >= 1 and <= 254, prefix + nameof(s.Threshold), s.Threshold, "between 1 and 254");
        Check(s.Alpha is >= MinAlpha and <= 1, prefix + nameof(s.Alpha), s.Alpha, "between 0.004 (1/256) and 1");
        Check(s.ForegroundAlpha >= MinAlpha && s.ForegroundAlpha <= s.Alpha, prefix + nameof(s.ForegroundAlpha), s.ForegroundAlpha, $"between 0.004 (1/256) and Alpha ({s.Alpha})");
        Check(s.MinAreaPercent is > 0 and < 100, prefix + nameof(s.MinAreaPercent), s.MinAreaPercent, "above 0 and below 100");
        Check(s.MinChangedPercent is > 0 and < 100, prefix + nameof(s.MinChangedPercent), s.MinChangedPercent, "above 0 and below 100");
        Check(s.AdaptiveK is > 0 and <= 20, prefix + nameof(s.AdaptiveK), s.AdaptiveK, "above 0 and at most 20");
    }

    public static void Check(bool ok, string name, object? value, string rule)
    {
        if (!ok)
        {
            throw Invalid(name, $"must be {rule} (was {Format(value)})");
        }
    }

    public static PluginSettingsException Invalid(string name, string problem) => new($"motion setting {name} {problem}.");

    private static string Format(object? value) => value switch
    {
        null => "nothing",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
