using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications.Trends;

/// <summary>The day-over-day comparison: today from local midnight to now against yesterday over the same hours.</summary>
internal static class DayOverDay
{
    public const string Kind = "motion-trend";

    /// <summary>The event kinds a rule compares: its own, or motion when it names none (as before rules had kinds here).</summary>
    public static IReadOnlyList<string> KindsOf(NotificationRule rule) => rule.Kinds.Count == 0 ? ["motion"] : rule.Kinds;

    /// <summary>The trend event's kind: <c>motion-trend</c>, <c>detection-trend</c> …, or <c>trend</c> for several kinds.</summary>
    public static string TrendKind(IReadOnlyList<string> kinds) => kinds.Count == 1 ? kinds[0] + "-trend" : "trend";

    /// <summary>The kinds in words for the reason: "motion", "motion and detection events".</summary>
    public static string Words(IReadOnlyList<string> kinds) =>
        kinds.Count == 1 ? kinds[0] : string.Join(", ", kinds.Take(kinds.Count - 1)) + " and " + kinds[^1] + " events";

    /// <summary>Today's window and yesterday's matching one, in the server's zone (a day with a clock change is 23 or 25 hours).</summary>
    public static (DateTimeOffset TodayFrom, DateTimeOffset YesterdayFrom, DateTimeOffset YesterdayTo) Windows(DateTimeOffset now)
    {
        var today = LocalDay.Of(now);
        var (todayFrom, _) = LocalDay.Bounds(today);
        var (yesterdayFrom, _) = LocalDay.Bounds(today.AddDays(-1));
        return (todayFrom, yesterdayFrom, yesterdayFrom + (now - todayFrom));
    }

    /// <summary>How many % more motion today than yesterday, or null when yesterday had too little to compare with.</summary>
    public static double? Increase(double todaySeconds, double yesterdaySeconds, double minimumSeconds) =>
        yesterdaySeconds >= minimumSeconds && yesterdaySeconds > 0 ? ((todaySeconds / yesterdaySeconds) - 1) * 100 : null;
}
