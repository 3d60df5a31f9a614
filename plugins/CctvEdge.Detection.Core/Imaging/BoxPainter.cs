using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Internal.Imaging;

/// <summary>Draws a box outline on an RGB24 picture, so the event's snapshot shows what was detected.</summary>
internal static class BoxPainter
{
    public static void Draw(Span<byte> rgb, int width, int height, Box box, int thickness = 2, byte red = 255, byte green = 32, byte blue = 32)
    {
        var x1 = Math.Clamp((int)box.X1, 0, width - 1);
        var y1 = Math.Clamp((int)box.Y1, 0, height - 1);
        var x2 = Math.Clamp((int)MathF.Ceiling(box.X2) - 1, x1, width - 1);
        var y2 = Math.Clamp((int)MathF.Ceiling(box.Y2) - 1, y1, height - 1);
        for (var t = 0; t < thickness; t++)
        {
            Line(rgb, width, x1, x2, Math.Min(y1 + t, y2), horizontal: true);
            Line(rgb, width, x1, x2, Math.Max(y2 - t, y1), horizontal: true);
            Line(rgb, width, y1, y2, Math.Min(x1 + t, x2), horizontal: false);
            Line(rgb, width, y1, y2, Math.Max(x2 - t, x1), horizontal: false);
        }

        void Line(Span<byte> pixels, int w, int from, int to, int at, bool horizontal)
        {
            for (var i = from; i <= to; i++)
            {
                var p = 3 * (horizontal ? (at * w) + i : (i * w) + at);
                (pixels[p], pixels[p + 1], pixels[p + 2]) = (red, green, blue);
            }
        }
    }
}
