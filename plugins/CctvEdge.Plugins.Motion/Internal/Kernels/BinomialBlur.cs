using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CctvEdge.Plugins.Motion.Internal.Kernels;

/// <summary>
/// Gaussian blur with the binomial kernels OpenCV uses for 3x3 ([1 2 1]/4) and 5x5 ([1 4 6 4 1]/16) at sigma 0,
/// separable, in integer arithmetic, with OpenCV's default border (reflect-101: the row or column next to the edge
/// is mirrored without repeating the edge). Exact: the vertical sums fit 16-bit words and the result is rounded once.
/// </summary>
internal static class BinomialBlur
{
    /// <summary>Words the row buffer needs for a given width: the row plus the mirrored margins.</summary>
    public static int RowBufferLength(int width) => width + 4;

    /// <summary>
    /// Blurs <paramref name="height"/> rows of <paramref name="width"/> pixels; size 0 copies. The destination must not
    /// overlap the source.
    /// </summary>
    public static void Apply(KernelPath path, int size, ReadOnlySpan<byte> source, int sourceStride, Span<byte> destination, int destinationStride, int width, int height, Span<ushort> rowBuffer)
    {
        if (size is not (0 or 3 or 5) || width < 3 || height < 3 || sourceStride < width || destinationStride < width
            || source.Length < (sourceStride * (height - 1)) + width || destination.Length < (destinationStride * (height - 1)) + width
            || rowBuffer.Length < RowBufferLength(width))
        {
            throw new ArgumentException($"Blur {size} of {width}x{height}: buffers too small or size unsupported.");
        }

        var radius = size / 2;
        for (var y = 0; y < height; y++)
        {
            var target = destination.Slice(y * destinationStride, width);
            if (size == 0)
            {
                source.Slice(y * sourceStride, width).CopyTo(target);
                continue;
            }

            // The row buffer holds the vertical sums at [2, 2 + width), with mirrored margins on both sides.
            var sums = rowBuffer[..RowBufferLength(width)];
            Vertical(path, size, Row(source, sourceStride, height, y - 2), Row(source, sourceStride, height, y - 1), Row(source, sourceStride, height, y), Row(source, sourceStride, height, y + 1), Row(source, sourceStride, height, y + 2), sums[2..], width);
            for (var m = 1; m <= radius; m++)
            {
                sums[2 - m] = sums[2 + m];
                sums[1 + width + m] = sums[1 + width - m];
            }

            Horizontal(path, size, sums, target, width);
        }
    }

    /// <summary>Index of row <paramref name="y"/> after reflect-101 at the top and bottom edges.</summary>
    internal static int Reflect(int y, int count) => y < 0 ? -y : y >= count ? (2 * count) - 2 - y : y;

    private static ReadOnlySpan<byte> Row(ReadOnlySpan<byte> source, int stride, int height, int y) => source.Slice(Reflect(y, height) * stride);

    // The five rows around the output row, a to e; the 3x3 kernel uses b, c and d.
    private static void Vertical(KernelPath path, int size, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, ReadOnlySpan<byte> e, Span<ushort> sums, int width)
    {
        var x = path switch
        {
            KernelPath.Vector256 => Vertical<Simd256, Vector256<byte>, Vector256<ushort>>(size, a, b, c, d, e, sums, width),
            KernelPath.Vector128 => Vertical<Simd128, Vector128<byte>, Vector128<ushort>>(size, a, b, c, d, e, sums, width),
            _ => 0,
        };
        for (; x < width; x++)
        {
            sums[x] = (ushort)(size == 5 ? a[x] + e[x] + (4 * (b[x] + d[x])) + (6 * c[x]) : b[x] + d[x] + (2 * c[x]));
        }
    }

    private static int Vertical<S, TB, TW>(int size, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, ReadOnlySpan<byte> e, Span<ushort> sums, int width)
        where S : ISimd<TB, TW>
        where TB : struct
        where TW : struct
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rc = ref MemoryMarshal.GetReference(c);
        ref var rd = ref MemoryMarshal.GetReference(d);
        ref var re = ref MemoryMarshal.GetReference(e);
        ref var rs = ref MemoryMarshal.GetReference(sums);
        var six = S.Broadcast(6);
        var lanes = S.ByteLanes;
        var x = 0;
        for (; x <= width - lanes; x += lanes)
        {
            TB vb = S.LoadBytes(ref rb, x), vc = S.LoadBytes(ref rc, x), vd = S.LoadBytes(ref rd, x);
            if (size == 5)
            {
                TB va = S.LoadBytes(ref ra, x), ve = S.LoadBytes(ref re, x);
                S.StoreWords(S.Add(S.Add(S.Lower(va), S.Lower(ve)), S.Add(S.ShiftLeft(S.Add(S.Lower(vb), S.Lower(vd)), 2), S.Multiply(S.Lower(vc), six))), ref rs, x);
                S.StoreWords(S.Add(S.Add(S.Upper(va), S.Upper(ve)), S.Add(S.ShiftLeft(S.Add(S.Upper(vb), S.Upper(vd)), 2), S.Multiply(S.Upper(vc), six))), ref rs, x + (lanes / 2));
            }
            else
            {
                S.StoreWords(S.Add(S.Add(S.Lower(vb), S.Lower(vd)), S.ShiftLeft(S.Lower(vc), 1)), ref rs, x);
                S.StoreWords(S.Add(S.Add(S.Upper(vb), S.Upper(vd)), S.ShiftLeft(S.Upper(vc), 1)), ref rs, x + (lanes / 2));
            }
        }

        return x;
    }

    // The horizontal pass reads the row buffer where pixel x sits at index x + 2; the result is rounded once, by the
    // kernel's total weight (256 for 5x5, 16 for 3x3).
    private static void Horizontal(KernelPath path, int size, ReadOnlySpan<ushort> sums, Span<byte> target, int width)
    {
        var x = path switch
        {
            KernelPath.Vector256 => Horizontal<Simd256, Vector256<byte>, Vector256<ushort>>(size, sums, target, width),
            KernelPath.Vector128 => Horizontal<Simd128, Vector128<byte>, Vector128<ushort>>(size, sums, target, width),
            _ => 0,
        };
        for (; x < width; x++)
        {
            var i = x + 2;
            target[x] = (byte)(size == 5
                ? (sums[i - 2] + sums[i + 2] + (4 * (sums[i - 1] + sums[i + 1])) + (6 * sums[i]) + 128) >> 8
                : (sums[i - 1] + sums[i + 1] + (2 * sums[i]) + 8) >> 4);
        }
    }

    private static int Horizontal<S, TB, TW>(int size, ReadOnlySpan<ushort> sums, Span<byte> target, int width)
        where S : ISimd<TB, TW>
        where TB : struct
        where TW : struct
    {
        ref var rs = ref MemoryMarshal.GetReference(sums);
        ref var rt = ref MemoryMarshal.GetReference(target);
        var six = S.Broadcast(6);
        var round = S.Broadcast((ushort)(size == 5 ? 128 : 8));
        var shift = size == 5 ? 8 : 4;
        var lanes = S.ByteLanes;
        var x = 0;
        for (; x <= width - lanes; x += lanes)
        {
            S.StoreBytes(S.Narrow(Taps(ref rs, x + 2), Taps(ref rs, x + 2 + (lanes / 2))), ref rt, x);
        }

        return x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        TW Taps(ref ushort s, int i) => S.ShiftRight(
            size == 5
                ? S.Add(S.Add(S.Add(S.LoadWords(ref s, i - 2), S.LoadWords(ref s, i + 2)), round), S.Add(S.ShiftLeft(S.Add(S.LoadWords(ref s, i - 1), S.LoadWords(ref s, i + 1)), 2), S.Multiply(S.LoadWords(ref s, i), six)))
                : S.Add(S.Add(S.LoadWords(ref s, i - 1), S.LoadWords(ref s, i + 1)), S.Add(S.ShiftLeft(S.LoadWords(ref s, i), 1), round)),
            shift);
    }
}
