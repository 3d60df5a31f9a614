namespace CctvEdge.Node.Plugins;

/// <summary>
/// Resizes gray (or, with 3 channels, RGB24) frames for a plugin that asked for another size than the camera's
/// frames: area averaging when shrinking (no aliasing from skipped pixels), nearest pixel when growing.
/// </summary>
internal static class FrameScaler
{
    public static void Scale(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, Span<byte> target, int targetWidth, int targetHeight, int channels = 1)
    {
        if (source.Length < sourceWidth * sourceHeight * channels || target.Length < targetWidth * targetHeight * channels)
        {
            throw new ArgumentException("Buffer too small for the given size.");
        }

        for (var ty = 0; ty < targetHeight; ty++)
        {
            var y0 = (int)((long)ty * sourceHeight / targetHeight);
            var y1 = Math.Max(y0 + 1, (int)((long)(ty + 1) * sourceHeight / targetHeight));
            for (var tx = 0; tx < targetWidth; tx++)
            {
                var x0 = (int)((long)tx * sourceWidth / targetWidth);
                var x1 = Math.Max(x0 + 1, (int)((long)(tx + 1) * sourceWidth / targetWidth));
                var count = (y1 - y0) * (x1 - x0);
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0;
                    for (var y = y0; y < y1; y++)
                    {
                        var row = source.Slice(y * sourceWidth * channels, sourceWidth * channels);
                        for (var x = x0; x < x1; x++)
                        {
                            sum += row[(x * channels) + c];
                        }
                    }

                    target[(((ty * targetWidth) + tx) * channels) + c] = (byte)((sum + (count / 2)) / count);
                }
            }
        }
    }
}
