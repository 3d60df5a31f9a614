using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CctvEdge.Plugins.Motion.Internal.Kernels;

/// <summary>The background model's numbers in the kernel's fixed-point units.</summary>
/// <param name="Threshold">A pixel has changed when it differs from the rounded background by more than this.</param>
/// <param name="QuietRate">Learning rate in 1/256 (0..256) for pixels that did not change.</param>
/// <param name="MovingRate">Learning rate in 1/256 (0..256) for pixels that changed.</param>
/// <param name="AbsorbFrames">After this many changed frames in a row a pixel learns at the quiet rate again.</param>
internal readonly record struct BackgroundRates(byte Threshold, ushort QuietRate, ushort MovingRate, ushort AbsorbFrames)
{
    /// <summary>A rate (0..1] in the kernel's 1/256 steps; never 0, so every pixel keeps learning.</summary>
    public static ushort Quantise(double alpha) => (ushort)Math.Clamp((int)Math.Round(alpha * 256), 1, 256);
}

/// <summary>
/// One fused pass over the frame: compare each pixel with the running-average background, mark it changed (a bit per
/// pixel, masked by the watched area) and update the background. The background is 8.8 fixed point in 16-bit words;
/// the update moves it by (|frame - background| * rate) / 256 toward the frame, rounded toward the background, which
/// is exact in 16-bit lanes when split into the high and low byte of the difference.
/// Changed pixels learn at the moving rate (selective update), so a passing animal is not burned into the background
/// and leaves no ghost; but a pixel that has stayed changed for <see cref="BackgroundRates.AbsorbFrames"/> frames
/// learns at the quiet rate again, so something that stopped, the ghost of something that left, or a light that was
/// not caught as a global change becomes background in seconds. Each pixel's age (changed frames in a row) is a word.
/// </summary>
internal static class BackgroundKernel
{
    /// <summary>
    /// Updates <paramref name="background"/> and <paramref name="ages"/> from <paramref name="frame"/> (all
    /// <paramref name="changed"/>.Length * 64 pixels) and writes the changed-and-watched bits; returns how many are set.
    /// </summary>
    public static int Update(KernelPath path, ReadOnlySpan<byte> frame, Span<ushort> background, Span<ushort> ages, ReadOnlySpan<ulong> watched, Span<ulong> changed, BackgroundRates rates)
    {
        var pixels = changed.Length * 64;
        if (frame.Length < pixels || background.Length < pixels || ages.Length < pixels || watched.Length < changed.Length)
        {
            throw new ArgumentException($"Background update of {pixels} pixels: buffers too small.");
        }

        return path switch
        {
            KernelPath.Vector256 => Vectors<Simd256, Vector256<byte>, Vector256<ushort>>(frame, background, ages, watched, changed, rates),
            KernelPath.Vector128 => Vectors<Simd128, Vector128<byte>, Vector128<ushort>>(frame, background, ages, watched, changed, rates),
            _ => Scalar(frame, background, ages, watched, changed, rates),
        };
    }

    /// <summary>Starts the background again from this frame; nothing has changed yet.</summary>
    public static void Seed(ReadOnlySpan<byte> frame, Span<ushort> background, Span<ushort> ages)
    {
        for (var i = 0; i < background.Length; i++)
        {
            background[i] = (ushort)(frame[i] << 8);
        }

        ages.Clear();
    }

    private static int Scalar(ReadOnlySpan<byte> frame, Span<ushort> background, Span<ushort> ages, ReadOnlySpan<ulong> watched, Span<ulong> changed, BackgroundRates rates)
    {
        var count = 0;
        for (var w = 0; w < changed.Length; w++)
        {
            var bits = 0UL;
            for (var i = 0; i < 64; i++)
            {
                var at = (w * 64) + i;
                int pixel = frame[at], model = background[at], age = ages[at];
                var moved = Math.Abs(pixel - ((model + 128) >> 8)) > rates.Threshold;
                var rate = moved && age < rates.AbsorbFrames ? rates.MovingRate : rates.QuietRate;
                var target = pixel << 8;
                var step = (Math.Abs(target - model) * rate) >> 8;
                background[at] = (ushort)(target > model ? model + step : model - step);
                ages[at] = (ushort)(moved ? Math.Min(age + 1, ushort.MaxValue) : 0);
                bits |= moved ? 1UL << i : 0;
            }

            changed[w] = bits & watched[w];
            count += BitOperations.PopCount(changed[w]);
        }

        return count;
    }

    private static int Vectors<S, TB, TW>(ReadOnlySpan<byte> frame, Span<ushort> background, Span<ushort> ages, ReadOnlySpan<ulong> watched, Span<ulong> changed, BackgroundRates rates)
        where S : ISimd<TB, TW>
        where TB : struct
        where TW : struct
    {
        ref var rf = ref MemoryMarshal.GetReference(frame);
        ref var rb = ref MemoryMarshal.GetReference(background);
        ref var ra = ref MemoryMarshal.GetReference(ages);
        var threshold = S.Broadcast(rates.Threshold);
        var quiet = S.Broadcast(rates.QuietRate);
        var moving = S.Broadcast(rates.MovingRate);
        var absorb = S.Broadcast(rates.AbsorbFrames);
        var round = S.Broadcast(128);
        var low = S.Broadcast(0xFF);
        var one = S.Broadcast(1);
        var oldest = S.Broadcast(ushort.MaxValue - 1);
        var lanes = S.ByteLanes;
        var halfLanes = lanes / 2;
        var count = 0;
        for (var w = 0; w < changed.Length; w++)
        {
            var bits = 0UL;
            for (var i = 0; i < 64; i += lanes)
            {
                var at = (w * 64) + i;
                var pixels = S.LoadBytes(ref rf, at);
                var lower = Step(S.Lower(pixels), ref rb, ref ra, at);
                var upper = Step(S.Upper(pixels), ref rb, ref ra, at + halfLanes);
                bits |= (ulong)S.TopBits(S.Narrow(lower, upper)) << i;
            }

            changed[w] = bits & watched[w];
            count += BitOperations.PopCount(changed[w]);
        }

        return count;

        // Updates the background and age words at `at` and returns the changed mask of these pixels.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        TW Step(TW pixel, ref ushort models, ref ushort ages, int at)
        {
            var model = S.LoadWords(ref models, at);
            var age = S.LoadWords(ref ages, at);
            var rounded = S.ShiftRight(S.Add(model, round), 8);
            var moved = S.GreaterThan(S.Subtract(S.Max(pixel, rounded), S.Min(pixel, rounded)), threshold);
            var rate = S.Select(moved, S.Select(S.GreaterThan(absorb, age), moving, quiet), quiet);
            var target = S.ShiftLeft(pixel, 8);
            var distance = S.Subtract(S.Max(target, model), S.Min(target, model));
            var step = S.Add(S.Multiply(S.ShiftRight(distance, 8), rate), S.ShiftRight(S.Multiply(S.And(distance, low), rate), 8));
            S.StoreWords(S.Select(S.GreaterThan(target, model), S.Add(model, step), S.Subtract(model, step)), ref models, at);
            S.StoreWords(S.And(moved, S.Add(S.Min(age, oldest), one)), ref ages, at);
            return moved;
        }
    }
}
