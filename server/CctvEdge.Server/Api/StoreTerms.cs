using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The pages' terms (a local day, a camera picked from a list) in the store's (Unix milliseconds, a camera ref).</summary>
internal static class StoreTerms
{
    public static CameraRef ToRef(this CameraKey camera) => new(camera.NodeId, camera.CameraId);

    /// <summary>Local midnight at the start of <paramref name="day"/> and of the day after, in Unix milliseconds.</summary>
    public static (long FromMs, long ToMs) Millis(DateOnly day)
    {
        var (start, end) = LocalDay.Bounds(day);
        return (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
    }

    public static EventQuery ToQuery(this EventFilter filter)
    {
        var (fromMs, toMs) = Millis(filter.Day);
        return new EventQuery
        {
            FromMs = fromMs,
            ToMs = toMs,
            Site = filter.Site,
            Camera = filter.Camera?.ToRef(),
            Kind = filter.Kind,
            Zone = filter.Zone,
            Label = filter.Label,
            Acknowledged = filter.Acknowledged,
            Flagged = filter.Flagged,
            GroupGapSeconds = filter.GroupGapSeconds,
        };
    }
}
