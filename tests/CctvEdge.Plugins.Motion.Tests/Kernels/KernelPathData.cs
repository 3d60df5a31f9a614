using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

/// <summary>
/// The vector paths, each checked against the scalar reference. Both run on any machine (without hardware support the
/// vector types fall back to software), so the Pi's 128-bit path is tested on x64 CI too.
/// </summary>
public static class KernelPathData
{
    public static TheoryData<string> VectorPaths => [nameof(KernelPath.Vector128), nameof(KernelPath.Vector256)];

    internal static KernelPath Parse(string name) => Enum.Parse<KernelPath>(name);

    /// <summary>Widths that exercise full vectors, scalar tails and the smallest frames.</summary>
    public static readonly int[] Widths = [3, 16, 17, 31, 32, 33, 63, 64, 65, 100, 320];

    internal static byte[] RandomBytes(Random random, int length, int low = 0, int high = 256)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.Next(low, high);
        }

        return bytes;
    }
}
