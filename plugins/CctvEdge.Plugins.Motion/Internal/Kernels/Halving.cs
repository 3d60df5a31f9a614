using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CctvEdge.Plugins.Motion.Internal.Kernels;

/// <summary>
/// Halves a gray image in both directions by averaging each 2x2 block (rounded), as OpenCV's INTER_AREA does for an
/// exact factor of two. An odd last row or column is dropped.
/// </summary>
internal static class Halving
{
    public static void Apply(KernelPath path, ReadOnlySpan<byte> source, int sourceStride, int sourceWidth, int sourceHeight, Span<byte> destination, int destinationStride)
    {
        int width = sourceWidth / 2, height = sourceHeight / 2;
        if (width < 1 || height < 1 || sourceStride < sourceWidth || destinationStride < width
            || source.Length < (sourceStride * (sourceHeight - 1)) + sourceWidth || destination.Length < (destinationStride * (height - 1)) + width)
        {
            throw new ArgumentException($"Halving {sourceWidth}x{sourceHeight}: buffers too small.");
        }

        for (var y = 0; y < height; y++)
        {
            var top = source.Slice(2 * y * sourceStride, 2 * width);
            var bottom = source.Slice(((2 * y) + 1) * sourceStride, 2 * width);
            var target = destination.Slice(y * destinationStride, width);
            var x = path switch
            {
                KernelPath.Vector256 => Row<Simd256, Vector256<byte>, Vector256<ushort>>(top, bottom, target, width),
                KernelPath.Vector128 => Row<Simd128, Vector128<byte>, Vector128<ushort>>(top, bottom, target, width),
                _ => 0,
            };
            for (; x < width; x++)
            {
                target[x] = (byte)((top[2 * x] + top[(2 * x) + 1] + bottom[2 * x] + bottom[(2 * x) + 1] + 2) >> 2);
            }
        }
    }

    private static int Row<S, TB, TW>(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> target, int width)
        where S : ISimd<TB, TW>
        where TB : struct
        where TW : struct
    {
        ref var rt = ref MemoryMarshal.GetReference(top);
        ref var rb = ref MemoryMarshal.GetReference(bottom);
        ref var rd = ref MemoryMarshal.GetReference(target);
        var low = S.Broadcast(0xFF);
        var two = S.Broadcast(2);
        var lanes = S.ByteLanes;
        var x = 0;
        for (; x <= width - lanes; x += lanes)
        {
            // Seen as 16-bit words, each word holds two neighbouring pixels: low byte plus high byte is their sum.
            var lower = PairSums(S.AsWords(S.LoadBytes(ref rt, 2 * x)), S.AsWords(S.LoadBytes(ref rb, 2 * x)));
            var upper = PairSums(S.AsWords(S.LoadBytes(ref rt, (2 * x) + lanes)), S.AsWords(S.LoadBytes(ref rb, (2 * x) + lanes)));
            S.StoreBytes(S.Narrow(lower, upper), ref rd, x);
        }

        return x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        TW PairSums(TW a, TW b) =>
            S.ShiftRight(S.Add(S.Add(S.Add(S.And(a, low), S.ShiftRight(a, 8)), S.Add(S.And(b, low), S.ShiftRight(b, 8))), two), 2);
    }
}
