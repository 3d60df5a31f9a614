using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>Colour frames for tests: a flat colour, at a time.</summary>
internal static class TestFrames
{
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static ColorFrame Flat(int width, int height, long number, double seconds, byte red = 40, byte green = 90, byte blue = 160)
    {
        var pixels = new byte[3 * width * height];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (red, green, blue);
        }

        return new ColorFrame(pixels, width, height, 3 * width, number, Start.AddSeconds(seconds));
    }
}
