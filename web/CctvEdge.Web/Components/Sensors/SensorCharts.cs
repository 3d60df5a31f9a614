using System.Globalization;
using CctvEdge.Web.Services;

namespace CctvEdge.Web.Components.Sensors;

/// <summary>One chart of a sensor: the series that share an axis.</summary>
internal sealed record SensorChart(string Title, string Unit, IReadOnlyList<SensorSeries> Series);

/// <summary>How the sensors page lays out a sensor's series and writes its values.</summary>
internal static class SensorCharts
{
    /// <summary>
    /// Series of one family and unit share a chart (accel.x/y/z; vibration.rms and .peak), so they read against each
    /// other; a different unit gets its own chart (temperature apart from humidity, vibration.frequency apart from g),
    /// since one axis cannot hold °C and % honestly.
    /// </summary>
    public static IReadOnlyList<SensorChart> Group(IEnumerable<SensorSeries> series) =>
        series.GroupBy(s => (Family(s.Name), s.Unit))
            .Select(g => new SensorChart(g.Count() == 1 ? g.First().Name : g.Key.Item1, g.Key.Unit, g.OrderBy(s => s.Name, StringComparer.Ordinal).ToList()))
            .OrderBy(c => c.Title, StringComparer.Ordinal)
            .ToList();

    /// <summary>The name before its last dot: accel for accel.x, vibration for vibration.rms; the name itself without one.</summary>
    public static string Family(string name) => name.LastIndexOf('.') is > 0 and var dot ? name[..dot] : name;

    public static string Value(double value, string unit) =>
        value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.##", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");

    /// <summary>The ranges the page offers, oldest first.</summary>
    public static readonly IReadOnlyList<(string Key, string Text, TimeSpan Span)> Ranges =
    [
        ("1h", "1 h", TimeSpan.FromHours(1)),
        ("24h", "24 h", TimeSpan.FromHours(24)),
        ("7d", "7 d", TimeSpan.FromDays(7)),
        ("1y", "1 y", TimeSpan.FromDays(365)),
    ];

    /// <summary>The narrowest window zooming in reaches: ten minutes of raw readings.</summary>
    public static readonly TimeSpan ShortestWindow = TimeSpan.FromMinutes(10);

    /// <summary>The widest window zooming out reaches: two years.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(730);

    public static TimeSpan Clamp(TimeSpan span) => span < ShortestWindow ? ShortestWindow : span > LongestWindow ? LongestWindow : span;

    /// <summary>The window as the page states it, in the server's time like the axes.</summary>
    public static string Window(DateTimeOffset from, DateTimeOffset to)
    {
        var format = to - from <= TimeSpan.FromDays(1) ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd";
        return $"{from.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)} – {to.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)} UTC";
    }

    /// <summary>Axis labels that fit the range: times for a day, days for a week, months for a year.</summary>
    public static string AxisLabel(object value, TimeSpan span)
    {
        var at = value is DateTime d ? d : DateTime.MinValue;
        var format = span <= TimeSpan.FromDays(1) ? "HH:mm" : span <= TimeSpan.FromDays(31) ? "MM-dd HH:mm" : "yyyy-MM-dd";
        return at.ToString(format, CultureInfo.InvariantCulture);
    }
}
