using System.Buffers.Binary;
using System.IO.Compression;
using CctvEdge.Plugins.Detection.Internal.Imaging;
using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Tests;

public sealed class ImagingTests
{
    [Fact]
    public void Draw_Box_OutlineOnlyInRed()
    {
        var rgb = new byte[3 * 10 * 10];
        BoxPainter.Draw(rgb, 10, 10, new Box(2, 2, 8, 8), thickness: 1);

        Assert.Equal((255, 32, 32), Pixel(rgb, 2, 2));
        Assert.Equal((255, 32, 32), Pixel(rgb, 7, 5));
        Assert.Equal((0, 0, 0), Pixel(rgb, 5, 5));
        Assert.Equal((0, 0, 0), Pixel(rgb, 8, 8));
    }

    [Fact]
    public void Encode_Picture_HeaderAndPixelsRoundTrip()
    {
        byte[] rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var png = PngEncoder.Encode(rgb, 2, 2);

        Assert.Equal((2, 2), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        // CRC-32 of the chunks (zlib.crc32 of "IHDR" + its body, and of "IEND"): a wrong one makes viewers refuse the file.
        Assert.Equal(0xFDD49A73u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(29)));
        Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(png.Length - 4)));
        var idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
        using var zlib = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12 }, raw.ToArray());
    }

    private static (int, int, int) Pixel(byte[] rgb, int x, int y) => (rgb[3 * ((y * 10) + x)], rgb[(3 * ((y * 10) + x)) + 1], rgb[(3 * ((y * 10) + x)) + 2]);
}
