namespace CctvEdge.Server.Storage;

/// <summary>
/// A range of Unix milliseconds cut where a time zone's offset from UTC changes (daylight saving), so a query can
/// count local days (or other local buckets) with integer arithmetic on shifted milliseconds, the same on every engine:
/// the database's own idea of local time is the database server's zone, not the server process's.
/// </summary>
internal static class ZoneSpans
{
    private const long HourMs = 3_600_000;

    /// <summary>
    /// [<paramref name="fromMs"/>, <paramref name="toMs"/>) as consecutive pieces, each with the zone's offset (ms to add
    /// to UTC) throughout it. Offsets change at most every few months and never twice in an hour, so the range is walked
    /// an hour at a time and a change pinned to the millisecond.
    /// </summary>
    public static IReadOnlyList<(long FromMs, long ToMs, long OffsetMs)> Of(long fromMs, long toMs, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var spans = new List<(long, long, long)>();
        if (toMs <= fromMs)
        {
            return spans;
        }

        var start = fromMs;
        var offset = OffsetAt(fromMs, zone);
        for (var at = fromMs; at < toMs;)
        {
            var next = Math.Min(at + HourMs, toMs);
            if (next < toMs && OffsetAt(next, zone) != offset)
            {
                // The offset is still the old one at 'at' and the new one at 'next': halve until they are a ms apart.
                var (old, changed) = (at, next);
                while (changed - old > 1)
                {
                    var middle = old + ((changed - old) / 2);
                    (old, changed) = OffsetAt(middle, zone) == offset ? (middle, changed) : (old, middle);
                }

                spans.Add((start, changed, offset));
                (start, offset) = (changed, OffsetAt(changed, zone));
            }

            at = next;
        }

        spans.Add((start, toMs, offset));
        return spans;
    }

    private static long OffsetAt(long ms, TimeZoneInfo zone) => (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalMilliseconds;
}
