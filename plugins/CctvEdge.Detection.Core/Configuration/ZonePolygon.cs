namespace CctvEdge.Plugins.Detection.Internal.Configuration;

/// <summary>A named zone; points are fractions (0..1) of the frame.</summary>
internal sealed class ZonePolygon(string name, double[][] points)
{
    public string Name => name;

    /// <summary>Even-odd ray casting: true when (x, y) (fractions of the frame) is inside.</summary>
    public bool Contains(double x, double y)
    {
        var inside = false;
        for (int i = 0, j = points.Length - 1; i < points.Length; j = i++)
        {
            var (xi, yi, xj, yj) = (points[i][0], points[i][1], points[j][0], points[j][1]);
            if ((yi > y) != (yj > y) && x < ((xj - xi) * (y - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
