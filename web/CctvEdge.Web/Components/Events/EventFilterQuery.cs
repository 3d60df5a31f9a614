using CctvEdge.Web.Services;
using Microsoft.AspNetCore.WebUtilities;

namespace CctvEdge.Web.Components.Events;

/// <summary>
/// An event filter as URL query parameters: the events page keeps its filters in the URL, and the player's "play all"
/// carries the same ones, so the sequence it plays is the list the reviewer was looking at.
/// </summary>
internal static class EventFilterQuery
{
    public static Dictionary<string, object?> Parameters(EventFilter filter) => new()
    {
        ["day"] = FilterText.Day(filter.Day),
        ["site"] = filter.Site,
        ["camera"] = filter.Camera?.ToString(),
        ["kind"] = filter.Kind,
        ["zone"] = filter.Zone,
        ["label"] = filter.Label,
        ["ack"] = FilterText.Bool(filter.Acknowledged),
        ["flag"] = FilterText.Bool(filter.Flagged),
        ["gap"] = filter.GroupGapSeconds == 0 ? null : filter.GroupGapSeconds,
    };

    /// <summary>The filter in <paramref name="uri"/>'s query; a missing day is <paramref name="today"/>.</summary>
    public static EventFilter Parse(string uri, DateOnly today)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Get(string key) => query.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
        return new EventFilter
        {
            Day = FilterText.ParseDay(Get("day")) ?? today,
            Site = Get("site"),
            Camera = CameraKey.Parse(Get("camera")),
            Kind = Get("kind"),
            Zone = Get("zone"),
            Label = Get("label"),
            Acknowledged = FilterText.ParseBool(Get("ack")),
            Flagged = FilterText.ParseBool(Get("flag")),
            GroupGapSeconds = int.TryParse(Get("gap"), out var gap) ? Math.Clamp(gap, 0, 86_400) : 0,
        };
    }
}
