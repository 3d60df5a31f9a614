using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CctvEdge.Protocol;

/// <summary>
/// CRC-32C (Castagnoli), the checksum on each clip chunk. The CPU does it where it can (SSE4.2 on x64, the CRC32
/// instructions on ARM64, e.g. a Raspberry Pi 4), at many GB/s; a table does it elsewhere. System.IO.Hashing, which
/// has one, is not in our package registry.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFF, data);

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            for (; data.Length >= 8; data = data[8..])
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
            }

            crc = (uint)wide;
            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Crc32.Arm64.IsSupported)
        {
            for (; data.Length >= 8; data = data[8..])
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            }

            foreach (var b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        return AppendScalar(crc, data);
    }

    /// <summary>The table implementation: the reference the accelerated paths are tested against.</summary>
    internal static uint ComputeScalar(ReadOnlySpan<byte> data) => ~AppendScalar(0xFFFFFFFF, data);

    private static uint AppendScalar(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
