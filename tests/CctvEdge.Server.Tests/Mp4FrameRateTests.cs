using System.Buffers.Binary;
using System.Text;
using CctvEdge.Harness;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class Mp4FrameRateTests
{
    [Fact]
    public void Read_AudioThenVideoTrackMoovAfterMdat_VideoTrackRate()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clip.mp4");
        var moov = Box("moov", Track("soun", 48000, (1000, 1024)), Track("vide", 15360, (99, 1536), (1, 1536)));
        File.WriteAllBytes(path, [.. Box("ftyp", Encoding.ASCII.GetBytes("isom")), .. Box("mdat", new byte[5000]), .. moov]);

        Assert.Equal(10, Mp4FrameRate.Read(path));
    }

    [Fact]
    public void Read_VariableSampleDurations_AverageRate()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clip.mp4");
        // 90 frames of 1/15 s and 10 of 2/15 s: 100 frames in 110/15 s.
        File.WriteAllBytes(path, Box("moov", Track("vide", 90000, (90, 6000), (10, 12000))));

        Assert.Equal(Math.Round(100 / (110 / 15.0), 3), Mp4FrameRate.Read(path));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 4, (byte)'m', (byte)'o', (byte)'o', (byte)'v' })]
    [InlineData(new byte[] { 0, 0, 0, 16, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2 })]
    public void Read_NotAnMp4OrTruncated_Null(byte[] bytes)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clip.mp4");
        File.WriteAllBytes(path, bytes);

        Assert.Null(Mp4FrameRate.Read(path));
    }

    private static byte[] Track(string handler, uint timeScale, params (uint Count, uint Delta)[] durations)
    {
        var mdhd = new byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(mdhd.AsSpan(12), timeScale);
        var hdlr = new byte[25];
        Encoding.ASCII.GetBytes(handler).CopyTo(hdlr, 8);
        var stts = new byte[8 + (durations.Length * 8)];
        BinaryPrimitives.WriteUInt32BigEndian(stts.AsSpan(4), (uint)durations.Length);
        for (var i = 0; i < durations.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(stts.AsSpan(8 + (i * 8)), durations[i].Count);
            BinaryPrimitives.WriteUInt32BigEndian(stts.AsSpan(12 + (i * 8)), durations[i].Delta);
        }

        return Box("trak", Box("mdia", Box("mdhd", mdhd), Box("hdlr", hdlr), Box("minf", Box("stbl", Box("stts", stts)))));
    }

    private static byte[] Box(string type, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }
}
