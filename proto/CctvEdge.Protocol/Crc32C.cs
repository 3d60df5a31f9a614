using System.Buffers.Binary;
using System.Numerics;

namespace CctvEdge.Protocol;

/// <summary>
/// CRC-32C (Castagnoli), the checksum on each clip chunk. <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the
/// CPU's instructions where there are some (SSE4.2 on x64, CRC32 on ARM64 such as a Raspberry Pi 4) and the runtime's
/// own table elsewhere, with no package to carry: what is left here is the CRC's framing (initial value, final xor).
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        for (; data.Length >= 8; data = data[8..])
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
