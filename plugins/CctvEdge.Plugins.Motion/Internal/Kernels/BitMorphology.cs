namespace CctvEdge.Plugins.Motion.Internal.Kernels;

/// <summary>
/// The detection grid's bit layout: one bit per pixel, rows padded to whole 64-bit words so a row never shares a word
/// with the next one. Padding bits are always zero.
/// </summary>
internal readonly record struct BitLayout(int Width, int Height)
{
    public int WordsPerRow => (Width + 63) / 64;

    public int Words => WordsPerRow * Height;

    /// <summary>Bytes per row of the byte images that go with the bits (a whole number of words' worth of pixels).</summary>
    public int Stride => WordsPerRow * 64;

    public int Pixels => Width * Height;

    /// <summary>The padding bits of a row's last word.</summary>
    public ulong Padding => Width % 64 == 0 ? 0 : ~0UL << (Width % 64);
}

/// <summary>
/// Erosion and dilation with a 3x3 square on bit images, 64 pixels per operation. Pixels outside the frame never
/// change the result (OpenCV's default border for morphology): they count as set when eroding, clear when dilating.
/// Opening (erode, then dilate) removes specks and lines thinner than the kernel: sensor noise, rain, the edges that
/// a camera shake lights up. Closing (dilate, then erode) joins the parts of one object.
/// </summary>
internal static class BitMorphology
{
    public static void Open(Span<ulong> bits, Span<ulong> scratch, BitLayout layout, int iterations)
    {
        Repeat(bits, scratch, layout, iterations, erode: true);
        Repeat(bits, scratch, layout, iterations, erode: false);
    }

    public static void Close(Span<ulong> bits, Span<ulong> scratch, BitLayout layout, int iterations)
    {
        Repeat(bits, scratch, layout, iterations, erode: false);
        Repeat(bits, scratch, layout, iterations, erode: true);
    }

    private static void Repeat(Span<ulong> bits, Span<ulong> scratch, BitLayout layout, int iterations, bool erode)
    {
        if (bits.Length < layout.Words || scratch.Length < layout.Words)
        {
            throw new ArgumentException($"Morphology on {layout.Width}x{layout.Height}: buffers too small.");
        }

        for (var i = 0; i < iterations; i++)
        {
            Horizontal(bits, scratch, layout, erode);
            Vertical(scratch, bits, layout, erode);
        }
    }

    private static void Horizontal(ReadOnlySpan<ulong> source, Span<ulong> target, BitLayout layout, bool erode)
    {
        var words = layout.WordsPerRow;
        var outside = erode ? ~0UL : 0UL;
        var padding = erode ? layout.Padding : 0UL;
        for (var y = 0; y < layout.Height; y++)
        {
            var row = source.Slice(y * words, words);
            var output = target.Slice(y * words, words);
            var previous = outside;
            var current = row[0] | (words == 1 ? padding : 0);
            for (var w = 0; w < words; w++)
            {
                var next = w + 1 < words ? row[w + 1] | (w + 2 == words ? padding : 0) : outside;
                // Bit i is pixel 64w + i: shifting left brings each pixel's left neighbour into its place.
                var left = (current << 1) | (previous >> 63);
                var right = (current >> 1) | (next << 63);
                output[w] = erode ? current & left & right : current | left | right;
                previous = current;
                current = next;
            }
        }
    }

    private static void Vertical(ReadOnlySpan<ulong> source, Span<ulong> target, BitLayout layout, bool erode)
    {
        var words = layout.WordsPerRow;
        var outside = erode ? ~0UL : 0UL;
        for (var y = 0; y < layout.Height; y++)
        {
            for (var w = 0; w < words; w++)
            {
                var at = (y * words) + w;
                var above = y > 0 ? source[at - words] : outside;
                var below = y + 1 < layout.Height ? source[at + words] : outside;
                var value = erode ? above & source[at] & below : above | source[at] | below;
                target[at] = w + 1 == words ? value & ~layout.Padding : value;
            }
        }
    }
}
