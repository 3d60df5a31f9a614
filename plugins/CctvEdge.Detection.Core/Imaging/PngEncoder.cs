using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CctvEdge.Plugins.Detection.Internal.Imaging;

/// <summary>
/// Encodes an RGB24 picture as PNG: the one image format .NET can write with nothing but zlib (no JPEG encoder ships
/// with the runtime, and an imaging library would be megabytes in every node's plugin folder for one picture per event).
/// </summary>
internal static class PngEncoder
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour (RGB)
        WriteChunk(file, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = 3 * width;
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(rgb.Slice(y * row, row));
                }
            }

            WriteChunk(file, "IDAT", pixels.ToArray());
        }

        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, ~Crc(Crc(uint.MaxValue, typeBytes), data));
        stream.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
