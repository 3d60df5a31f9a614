using System.Numerics;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Internal.Detection;

/// <summary>
/// Masks and zones drawn onto the detection grid: the watched pixels (the frame minus the masks) and one bit image per
/// zone. A pixel belongs to a polygon when its centre lies inside (even-odd rule).
/// </summary>
internal sealed class MotionRegions
{
    private MotionRegions(BitLayout layout, ulong[] watched, ulong[][] zones, string[] zoneNames)
    {
        Layout = layout;
        Watched = watched;
        Zones = zones;
        ZoneNames = zoneNames;
        foreach (var word in watched)
        {
            WatchedPixels += BitOperations.PopCount(word);
        }
    }

    public BitLayout Layout { get; }

    public ulong[] Watched { get; }

    public int WatchedPixels { get; }

    public ulong[][] Zones { get; }

    public string[] ZoneNames { get; }

    /// <summary>Draws validated settings' masks and zones at the given size.</summary>
    public static MotionRegions Build(MotionSettings settings, BitLayout layout)
    {
        var watched = new ulong[layout.Words];
        for (var y = 0; y < layout.Height; y++)
        {
            for (var w = 0; w < layout.WordsPerRow; w++)
            {
                watched[(y * layout.WordsPerRow) + w] = w + 1 == layout.WordsPerRow ? ~layout.Padding : ~0UL;
            }
        }

        var masked = new ulong[layout.Words];
        foreach (var mask in settings.Masks)
        {
            Fill(mask.Points, layout, masked);
        }

        for (var i = 0; i < watched.Length; i++)
        {
            watched[i] &= ~masked[i];
        }

        var zones = settings.Zones.Select(z =>
        {
            var bits = new ulong[layout.Words];
            Fill(z.Points, layout, bits);
            return bits;
        }).ToArray();
        return new MotionRegions(layout, watched, zones, settings.Zones.Select(z => z.Name).ToArray());
    }

    /// <summary>The name of the first zone that covers no pixel of the grid, or null.</summary>
    public string? EmptyZone()
    {
        for (var z = 0; z < Zones.Length; z++)
        {
            if (Array.TrueForAll(Zones[z], word => word == 0))
            {
                return ZoneNames[z];
            }
        }

        return null;
    }

    /// <summary>Sets the bits of the pixels whose centres lie inside the polygon.</summary>
    internal static void Fill(double[][] points, BitLayout layout, Span<ulong> bits)
    {
        Span<double> crossings = stackalloc double[points.Length];
        for (var y = 0; y < layout.Height; y++)
        {
            var centre = (y + 0.5) / layout.Height;
            var count = 0;
            for (var i = 0; i < points.Length; i++)
            {
                var (a, b) = (points[i], points[(i + 1) % points.Length]);
                // Half-open in y, so a vertex on the scan line is counted once.
                if ((a[1] <= centre && centre < b[1]) || (b[1] <= centre && centre < a[1]))
                {
                    crossings[count++] = a[0] + ((centre - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
                }
            }

            crossings[..count].Sort();
            for (var k = 0; k + 1 < count; k += 2)
            {
                // Pixel x is inside when its centre (x + 0.5) / width lies in [left, right).
                var first = Math.Max(0, (int)Math.Ceiling((crossings[k] * layout.Width) - 0.5));
                var last = Math.Min(layout.Width, (int)Math.Ceiling((crossings[k + 1] * layout.Width) - 0.5)) - 1;
                for (var x = first; x <= last; x++)
                {
                    bits[(y * layout.WordsPerRow) + (x >> 6)] |= 1UL << (x & 63);
                }
            }
        }
    }
}
