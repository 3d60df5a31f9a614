using System.Globalization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage;

/// <summary>
/// The <c>Sensors</c> section: how long each resolution of sensor readings is kept (raw for days, minute rollups for
/// months, hour rollups for years: a year's chart needs only the hours), and when a sensor counts as stale.
/// </summary>
internal sealed class SensorOptions
{
    public const string Section = "Sensors";

    public double RawDays { get; set; } = 7;

    public double MinuteDays { get; set; } = 90;

    public double HourDays { get; set; } = 1830;

    /// <summary>A sensor with no reading for this long is shown as stale (a dead battery, a device gone).</summary>
    public double StaleMinutes { get; set; } = 10;
}

internal sealed class SensorOptionsValidator : IValidateOptions<SensorOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Sensors:RawDays", options.RawDays, 0.01, 3660);
        Range(errors, "Sensors:MinuteDays", options.MinuteDays, 0.01, 36500);
        Range(errors, "Sensors:HourDays", options.HourDays, 0.01, 36500);
        Range(errors, "Sensors:StaleMinutes", options.StaleMinutes, 0.1, 525600);
        // A coarser resolution kept shorter than a finer one would leave holes in long charts.
        if (options.MinuteDays < options.RawDays || options.HourDays < options.MinuteDays)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Sensors: RawDays ({options.RawDays}) <= MinuteDays ({options.MinuteDays}) <= HourDays ({options.HourDays}) must hold."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max} (was {value})."));
        }
    }
}
