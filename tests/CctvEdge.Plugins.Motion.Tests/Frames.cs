namespace CctvEdge.Plugins.Motion.Tests;

/// <summary>Synthetic gray frames: a fixed gradient scene, optional noise and a bright square.</summary>
internal static class Frames
{
    public const int Width = 320;
    public const int Height = 180;
    public const int Pixels = Width * Height;

    public static byte[] Scene(int seed, int noise = 0, (int X, int Y, int Size)? square = null, int brightness = 0)
    {
        var random = new Random(seed);
        var frame = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var value = 40 + (x * 120 / Width) + brightness + (noise == 0 ? 0 : random.Next(-noise, noise + 1));
                frame[(y * Width) + x] = (byte)Math.Clamp(value, 0, 255);
            }
        }

        if (square is { } s)
        {
            for (var y = s.Y; y < s.Y + s.Size; y++)
            {
                frame.AsSpan((y * Width) + s.X, s.Size).Fill(235);
            }
        }

        return frame;
    }
}
