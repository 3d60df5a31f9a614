using System.Globalization;

namespace CctvEdge.Plugins.Motion.Internal.Configuration;

/// <summary>
/// Checks mask and zone polygons: 3 to 64 points inside the frame, a real area, edges that do not cross, and for
/// zones a unique name. The point of these rules is that a polygon the installer drew means one area, unambiguously.
/// </summary>
internal static class PolygonRules
{
    public const int MaxPoints = 64;
    public const int MaxNameLength = 32;

    public static void Validate(List<MotionPolygon>? polygons, string setting, bool namesRequired)
    {
        SettingsRules.Check(polygons is not null, setting, null, "a list of polygons");
        SettingsRules.Check(polygons!.Count <= SettingsRules.MaxPolygons, setting, polygons.Count + " polygons", $"at most {SettingsRules.MaxPolygons} polygons");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < polygons.Count; i++)
        {
            var polygon = polygons[i];
            var name = $"{setting}[{i}]" + (string.IsNullOrWhiteSpace(polygon?.Name) ? "" : $" ('{polygon.Name}')");
            if (polygon is null)
            {
                throw SettingsRules.Invalid(name, "is empty");
            }

            if (namesRequired || !string.IsNullOrEmpty(polygon.Name))
            {
                SettingsRules.Check(!string.IsNullOrWhiteSpace(polygon.Name) && polygon.Name.Length <= MaxNameLength && polygon.Name.Trim() == polygon.Name, name + ".Name", polygon.Name, $"1 to {MaxNameLength} characters without leading or trailing spaces");
                SettingsRules.Check(names.Add(polygon.Name), name + ".Name", polygon.Name, "unique");
            }

            if (Problem(polygon.Points) is { } problem)
            {
                throw SettingsRules.Invalid(name + ".Points", problem);
            }
        }
    }

    /// <summary>What is wrong with the points, or null when they make a simple polygon inside the frame.</summary>
    public static string? Problem(double[][]? points)
    {
        if (points is null || points.Length < 3)
        {
            return $"needs at least 3 points as [x, y] pairs (has {points?.Length ?? 0})";
        }

        if (points.Length > MaxPoints)
        {
            return $"has {points.Length} points; at most {MaxPoints}";
        }

        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            if (p is not { Length: 2 } || !double.IsFinite(p[0]) || !double.IsFinite(p[1]))
            {
                return $"point {i} must be two numbers [x, y] (has {p?.Length ?? 0})";
            }

            if (p[0] is < 0 or > 1 || p[1] is < 0 or > 1)
            {
                return string.Create(CultureInfo.InvariantCulture, $"point {i} [{p[0]}, {p[1]}] is outside the frame: x and y are fractions of the width and height, from 0 to 1");
            }
        }

        for (var i = 0; i < points.Length; i++)
        {
            var (a, b) = (points[i], points[(i + 1) % points.Length]);
            if (a[0] == b[0] && a[1] == b[1])
            {
                return $"repeats point {i} as point {(i + 1) % points.Length}";
            }
        }

        if (points.All(p => Orientation(points[0], points[1], p) == 0))
        {
            return "has no area (its points lie on one line)";
        }

        return Crossing(points) is { } edges ? $"edges {edges.A}-{edges.A + 1} and {edges.B}-{(edges.B + 1) % points.Length} cross; a polygon must not intersect itself" : null;
    }

    /// <summary>The first pair of edges (by start point) that cross or overlap, other than neighbours meeting at their shared point.</summary>
    private static (int A, int B)? Crossing(double[][] p)
    {
        var n = p.Length;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var (a, b, c, d) = (p[i], p[(i + 1) % n], p[j], p[(j + 1) % n]);
                var neighbours = j == i + 1 || (i == 0 && j == n - 1);
                var crosses = neighbours
                    ? FoldsBack(a, b, c, d, j == i + 1)
                    : SegmentsTouch(a, b, c, d);
                if (crosses)
                {
                    return (i, j);
                }
            }
        }

        return null;
    }

    // Neighbouring edges share one point; they only conflict when the far end of one lies on the other.
    private static bool FoldsBack(double[] a, double[] b, double[] c, double[] d, bool secondFollows) =>
        secondFollows ? OnSegment(a, b, d) || OnSegment(c, d, a) : OnSegment(a, b, c) || OnSegment(c, d, b);

    private static bool SegmentsTouch(double[] a, double[] b, double[] c, double[] d)
    {
        int o1 = Orientation(a, b, c), o2 = Orientation(a, b, d), o3 = Orientation(c, d, a), o4 = Orientation(c, d, b);
        return (o1 != o2 && o3 != o4)
            || (o1 == 0 && OnSegment(a, b, c)) || (o2 == 0 && OnSegment(a, b, d))
            || (o3 == 0 && OnSegment(c, d, a)) || (o4 == 0 && OnSegment(c, d, b));
    }

    private static int Orientation(double[] a, double[] b, double[] c)
    {
        var cross = ((b[0] - a[0]) * (c[1] - a[1])) - ((b[1] - a[1]) * (c[0] - a[0]));
        return Math.Abs(cross) < 1e-12 ? 0 : Math.Sign(cross);
    }

    /// <summary>True when <paramref name="p"/> lies on the segment from <paramref name="a"/> to <paramref name="b"/>.</summary>
    private static bool OnSegment(double[] a, double[] b, double[] p) =>
        Orientation(a, b, p) == 0
        && p[0] >= Math.Min(a[0], b[0]) && p[0] <= Math.Max(a[0], b[0])
        && p[1] >= Math.Min(a[1], b[1]) && p[1] <= Math.Max(a[1], b[1]);
}
