namespace CctvEdge.Web.Components.Storage;

/// <summary>The heatmaps' scale: five steps from empty to the busiest cell.</summary>
internal static class HeatColor
{
    private static readonly string[] Steps = ["#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127"];

    public static string For(long bytes, long max) =>
        bytes <= 0 || max <= 0 ? Steps[0] : Steps[Math.Clamp((int)Math.Ceiling(4.0 * bytes / max), 1, 4)];

    public static string Gigabytes(long bytes) => (bytes / (double)(1L << 30)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " GB";
}
