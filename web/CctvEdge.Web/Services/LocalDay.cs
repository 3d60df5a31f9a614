namespace CctvEdge.Web.Services;

/// <summary>
/// Days as the people on the farm count them: the server's time zone (set TZ for the server process). A day with a
/// daylight-saving change has 23 or 25 hours.
/// </summary>
public static class LocalDay
{
    public static DateOnly Of(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local).DateTime);

    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Of(clock.GetUtcNow());
    }

    /// <summary>Local midnight at the start of <paramref name="day"/> and of the day after.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateOnly day) => (Midnight(day), Midnight(day.AddDays(1)));

    /// <summary>The moment <paramref name="time"/> on the clock of <paramref name="day"/>.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    private static DateTimeOffset Midnight(DateOnly day) => At(day, TimeOnly.MinValue);
}
