using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CctvEdge.Plugins.Motion.Internal.Kernels;

/// <summary>Which implementation of the pixel kernels runs.</summary>
internal enum KernelPath
{
    /// <summary>Plain loops: the reference the vector paths are tested against, and the fallback without SIMD.</summary>
    Scalar,

    /// <summary>128-bit vectors: SSE on x64, NEON on ARM64 (the Raspberry Pi's path).</summary>
    Vector128,

    /// <summary>256-bit vectors: AVX2 on x64.</summary>
    Vector256,
}

internal static class KernelPaths
{
    /// <summary>The widest path this CPU accelerates.</summary>
    public static KernelPath Best =>
        Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : Vector128.IsHardwareAccelerated ? KernelPath.Vector128
        : KernelPath.Scalar;
}

/// <summary>
/// The vector operations the kernels need, for one register width: <typeparamref name="TB"/> holds bytes and
/// <typeparamref name="TW"/> 16-bit words. Each kernel is written once against this interface and the JIT specialises
/// it for <see cref="Simd128"/> and <see cref="Simd256"/> (struct type arguments, inlined static calls), so the same
/// source runs as NEON on a Pi and as AVX2 on x64, and the tests can run the Pi's 128-bit path on an x64 machine.
/// Loads and stores are unchecked: every kernel checks its buffer sizes before its loops.
/// </summary>
internal interface ISimd<TB, TW>
    where TB : struct
    where TW : struct
{
    /// <summary>Bytes in a <typeparamref name="TB"/>; a <typeparamref name="TW"/> has half as many words.</summary>
    static abstract int ByteLanes { get; }

    static abstract TB LoadBytes(ref byte source, int offset);

    static abstract void StoreBytes(TB value, ref byte destination, int offset);

    static abstract TW LoadWords(ref ushort source, int offset);

    static abstract void StoreWords(TW value, ref ushort destination, int offset);

    static abstract TW Broadcast(ushort value);

    static abstract TW Lower(TB value);

    static abstract TW Upper(TB value);

    /// <summary>Keeps the low byte of each word (values must fit, or be masks).</summary>
    static abstract TB Narrow(TW lower, TW upper);

    /// <summary>The same bits seen as words: byte pairs (little-endian).</summary>
    static abstract TW AsWords(TB value);

    static abstract TW Add(TW a, TW b);

    static abstract TW Subtract(TW a, TW b);

    static abstract TW Multiply(TW a, TW b);

    static abstract TW And(TW a, TW b);

    static abstract TW Max(TW a, TW b);

    static abstract TW Min(TW a, TW b);

    static abstract TW ShiftLeft(TW value, int count);

    static abstract TW ShiftRight(TW value, int count);

    /// <summary>All ones in the words where a is greater than b (unsigned).</summary>
    static abstract TW GreaterThan(TW a, TW b);

    static abstract TW Select(TW mask, TW whenTrue, TW whenFalse);

    /// <summary>Bit i is the top bit of byte i.</summary>
    static abstract uint TopBits(TB value);
}

internal readonly struct Simd128 : ISimd<Vector128<byte>, Vector128<ushort>>
{
    public static int ByteLanes => Vector128<byte>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> LoadBytes(ref byte source, int offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBytes(Vector128<byte> value, ref byte destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> LoadWords(ref ushort source, int offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreWords(Vector128<ushort> value, ref ushort destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Broadcast(ushort value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Lower(Vector128<byte> value) => Vector128.WidenLower(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Upper(Vector128<byte> value) => Vector128.WidenUpper(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Narrow(Vector128<ushort> lower, Vector128<ushort> upper) => Vector128.Narrow(lower, upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> AsWords(Vector128<byte> value) => value.AsUInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Add(Vector128<ushort> a, Vector128<ushort> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Subtract(Vector128<ushort> a, Vector128<ushort> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Multiply(Vector128<ushort> a, Vector128<ushort> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> And(Vector128<ushort> a, Vector128<ushort> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Max(Vector128<ushort> a, Vector128<ushort> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Min(Vector128<ushort> a, Vector128<ushort> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> ShiftLeft(Vector128<ushort> value, int count) => Vector128.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> ShiftRight(Vector128<ushort> value, int count) => Vector128.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> GreaterThan(Vector128<ushort> a, Vector128<ushort> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Select(Vector128<ushort> mask, Vector128<ushort> whenTrue, Vector128<ushort> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint TopBits(Vector128<byte> value) => Vector128.ExtractMostSignificantBits(value);
}

internal readonly struct Simd256 : ISimd<Vector256<byte>, Vector256<ushort>>
{
    public static int ByteLanes => Vector256<byte>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> LoadBytes(ref byte source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBytes(Vector256<byte> value, ref byte destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> LoadWords(ref ushort source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreWords(Vector256<ushort> value, ref ushort destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Broadcast(ushort value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Lower(Vector256<byte> value) => Vector256.WidenLower(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Upper(Vector256<byte> value) => Vector256.WidenUpper(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Narrow(Vector256<ushort> lower, Vector256<ushort> upper) => Vector256.Narrow(lower, upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> AsWords(Vector256<byte> value) => value.AsUInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Add(Vector256<ushort> a, Vector256<ushort> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Subtract(Vector256<ushort> a, Vector256<ushort> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Multiply(Vector256<ushort> a, Vector256<ushort> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> And(Vector256<ushort> a, Vector256<ushort> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Max(Vector256<ushort> a, Vector256<ushort> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Min(Vector256<ushort> a, Vector256<ushort> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> ShiftLeft(Vector256<ushort> value, int count) => Vector256.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> ShiftRight(Vector256<ushort> value, int count) => Vector256.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> GreaterThan(Vector256<ushort> a, Vector256<ushort> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Select(Vector256<ushort> mask, Vector256<ushort> whenTrue, Vector256<ushort> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint TopBits(Vector256<byte> value) => Vector256.ExtractMostSignificantBits(value);
}
