using System.Globalization;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary>What a rule looks at in an event.</summary>
internal sealed record RuleEvent(long Id, string NodeId, string CameraId, string Kind, DateTimeOffset Start, IReadOnlyList<string> Zones, double Peak = 0)
{
    /// <summary>When the event ended; null while it is open (its peak may still grow and its length still counts).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>What a detector saw in it (<see cref="EventLabels"/>); empty for events without labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}

/// <summary>Whether a rule sends an event (its cooldown is the delivery store's to apply).</summary>
internal static class RuleMatching
{
    public static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>
    /// Whether the rule sends this stored event: its kinds, cameras, zones, labels and schedule match, and the event did
    /// not start in its quiet hours. Day-over-day rules send only what the trend check raises for them.
    /// </summary>
    public static bool Matches(this NotificationRule rule, RuleEvent e, TimeZoneInfo zone) => rule.MatchesFixed(e, zone) && rule.MatchesContent(e);

    /// <summary>What an event cannot change once stored: its kind, camera and start (the schedule and quiet hours).</summary>
    public static bool MatchesFixed(this NotificationRule rule, RuleEvent e, TimeZoneInfo zone) =>
        rule.Enabled
        && rule.DayOverDay is null
        && (rule.Kinds.Count == 0 || rule.Kinds.Contains(e.Kind, StringComparer.Ordinal))
        && (rule.Cameras.Count == 0 || rule.Cameras.Contains($"{e.NodeId}.{e.CameraId}", StringComparer.Ordinal))
        && (rule.Schedule is null || rule.Schedule.Covers(TimeZoneInfo.ConvertTime(e.Start, zone)))
        && (rule.QuietHours is null || !rule.QuietHours.Covers(TimeZoneInfo.ConvertTime(e.Start, zone)));

    /// <summary>What a node's later update of an open event can change: the zones it touched and the labels seen in it.</summary>
    public static bool MatchesContent(this NotificationRule rule, RuleEvent e) =>
        (rule.Zones.Count == 0 || rule.Zones.Any(z => e.Zones.Contains(z, StringComparer.Ordinal)))
        && (rule.Labels.Count == 0 || rule.Labels.Any(l => e.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)));

    /// <summary>Whether the event reaches the rule's minimum peak and duration; an open event's length counts until <paramref name="now"/>.</summary>
    public static bool MeetsMinimums(this NotificationRule rule, RuleEvent e, DateTimeOffset now) =>
        (rule.MinPeak is not { } peak || e.Peak >= peak)
        && (rule.MinDurationSeconds is not { } seconds || ((e.End ?? now) - e.Start).TotalSeconds >= seconds);

    /// <summary>
    /// Whether <paramref name="e"/>'s peak is unusual for its camera: above mean + k·σ of the peaks of the
    /// <paramref name="count"/> earlier events of its kind in the 24 h before it, or whether there are too few of those
    /// to tell (a new camera alerts while it learns rather than staying silent).
    /// </summary>
    public static bool IsUnusual(this RuleAdaptive adaptive, RuleEvent e, long count, double mean, double meanOfSquares) =>
        count < adaptive.MinSamples || e.Peak > mean + (adaptive.K * Math.Sqrt(Math.Max(0, meanOfSquares - (mean * mean))));

    public static bool Covers(this RuleSchedule schedule, DateTimeOffset local)
    {
        var from = TimeOnly.ParseExact(schedule.From, "HH:mm", CultureInfo.InvariantCulture);
        var to = TimeOnly.ParseExact(schedule.To, "HH:mm", CultureInfo.InvariantCulture);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var day = local.DayOfWeek;
        bool OnDay(DayOfWeek d) => schedule.Days.Count == 0 || schedule.Days.Contains(DayNames[(int)d], StringComparer.Ordinal);
        if (from == to)
        {
            return OnDay(day);
        }

        if (from < to)
        {
            return OnDay(day) && time >= from && time < to;
        }

        // Past midnight: the evening belongs to today, the small hours to the day before.
        return (time >= from && OnDay(day)) || (time < to && OnDay(day == DayOfWeek.Sunday ? DayOfWeek.Saturday : day - 1));
    }
}
