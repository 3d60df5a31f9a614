using System.Globalization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Notifications;

/// <summary>The <c>Notifications</c> section: which stored events become notifications.</summary>
internal sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Event kinds that raise a notification (the web channel lists them; sending channels come later).</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>How often the stage looks for new events when no change was pushed to it.</summary>
    public double IntervalSeconds { get; set; } = 10;

    /// <summary>Tries of one delivery before it becomes a dead letter (kept, with its last error, for people to see).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry's wait; each further one doubles it, up to an hour.</summary>
    public double RetryBaseSeconds { get; set; } = 5;

    /// <summary>
    /// A node disconnected, or a camera failing or stuck starting, this long raises an <c>offline</c> event (and an
    /// <c>online</c> one when it is back); 0 turns the check off.
    /// </summary>
    public double OfflineMinutes { get; set; } = 5;

    /// <summary>How often nodes and cameras are checked for being offline.</summary>
    public double OfflineCheckSeconds { get; set; } = 30;

    /// <summary>How often day-over-day rules compare today's motion with yesterday's.</summary>
    public double TrendCheckMinutes { get; set; } = 5;

    /// <summary>Yesterday's motion, by the same hour, below which day-over-day rules do not compare.</summary>
    public double TrendMinimumSeconds { get; set; } = 60;

    /// <summary>The kinds in effect: the configured ones, or motion, system, offline, sensor and vibration when none are.</summary>
    public IReadOnlyList<string> EffectiveKinds => Kinds.Count > 0 ? Kinds : ["motion", "system", "offline", "sensor", "vibration"];
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Kinds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Kinds[i]) || options.Kinds[i].Length > 32)
            {
                errors.Add($"Notifications:Kinds:{i} must be an event kind of 1 to 32 characters, e.g. motion (was '{options.Kinds[i]}').");
            }
        }

        if (double.IsNaN(options.IntervalSeconds) || options.IntervalSeconds is < 0.1 or > 3600)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:IntervalSeconds must be between 0.1 and 3600 (was {options.IntervalSeconds})."));
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Notifications:MaxAttempts must be between 1 and 100 (was {options.MaxAttempts}).");
        }

        if (double.IsNaN(options.RetryBaseSeconds) || options.RetryBaseSeconds is < 0.01 or > 3600)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:RetryBaseSeconds must be between 0.01 and 3600 (was {options.RetryBaseSeconds})."));
        }

        if (double.IsNaN(options.OfflineMinutes) || options.OfflineMinutes is < 0 or > 10080)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:OfflineMinutes must be between 0 (off) and 10080 (was {options.OfflineMinutes})."));
        }

        if (double.IsNaN(options.OfflineCheckSeconds) || options.OfflineCheckSeconds is < 0.1 or > 3600)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:OfflineCheckSeconds must be between 0.1 and 3600 (was {options.OfflineCheckSeconds})."));
        }

        if (double.IsNaN(options.TrendCheckMinutes) || options.TrendCheckMinutes is < 0.001 or > 1440)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:TrendCheckMinutes must be between 0.001 and 1440 (was {options.TrendCheckMinutes})."));
        }

        if (double.IsNaN(options.TrendMinimumSeconds) || options.TrendMinimumSeconds is < 0 or > 86400)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Notifications:TrendMinimumSeconds must be between 0 and 86400 (was {options.TrendMinimumSeconds})."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
