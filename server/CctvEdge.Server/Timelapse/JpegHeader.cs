using System.Buffers.Binary;

namespace CctvEdge.Server.Timelapse;

/// <summary>
/// Reads a JPEG's size from its frame header and checks that the file is whole (starts with SOI, ends with EOI), so a
/// truncated or foreign still is left out of a timelapse with a log line instead of failing the whole day's encode.
/// </summary>
internal static class JpegHeader
{
    public static bool TryReadSize(ReadOnlySpan<byte> jpeg, out int width, out int height)
    {
        width = height = 0;
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[^2] != 0xFF || jpeg[^1] != 0xD9)
        {
            return false;
        }

        var position = 2;
        while (position + 4 <= jpeg.Length)
        {
            if (jpeg[position] != 0xFF)
            {
                return false;
            }

            var marker = jpeg[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(position + 2, 2));
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's height and width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (position + 9 > jpeg.Length)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(position + 5, 2));
                width = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(position + 7, 2));
                return width > 0 && height > 0;
            }

            if (marker == 0xDA || length < 2)
            {
                return false;
            }

            position += 2 + length;
        }

        return false;
    }
}
