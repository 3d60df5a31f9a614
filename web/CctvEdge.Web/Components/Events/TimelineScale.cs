using System.Globalization;

namespace CctvEdge.Web.Components.Events;

/// <summary>The timeline's horizontal scale: a time in the window shown to an x in the rows' SVG units.</summary>
internal readonly record struct TimelineScale(DateTimeOffset From, DateTimeOffset To, double Width)
{
    public double X(DateTimeOffset at) => (at - From).TotalMilliseconds / Math.Max(1, (To - From).TotalMilliseconds) * Width;

    /// <summary>An SVG number: a tenth of a unit is finer than any screen shows.</summary>
    public static string Px(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
