using System.Buffers.Binary;
using System.Text;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Reads a clip's frame rate from its MP4 boxes, so the player can step one frame: the video track's time scale
/// (moov/trak/mdia/mdhd) and its sample durations (stbl/stts). The server needs no ffprobe for it; clips are
/// faststart MP4, so the moov box comes first and is small.
/// </summary>
internal static class Mp4FrameRate
{
    private const int MaxMoovBytes = 64 * 1024 * 1024;

    /// <summary>Frames per second of the first video track, or null when the file does not say.</summary>
    public static double? Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> header = stackalloc byte[16];
        long position = 0;
        while (position + 8 <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Encoding.ASCII.GetString(header[4..8]);
            var headerSize = 8;
            if (size == 1)
            {
                file.ReadExactly(header[8..16]);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = file.Length - position;
            }

            if (size < headerSize)
            {
                return null;
            }

            if (type == "moov")
            {
                if (size > MaxMoovBytes)
                {
                    return null;
                }

                var moov = new byte[size - headerSize];
                file.ReadExactly(moov);
                return FromMoov(moov);
            }

            position += size;
        }

        return null;
    }

    /// <summary>The frame rate from a moov box's body.</summary>
    internal static double? FromMoov(byte[] moov)
    {
        foreach (var (type, start, length) in Children(moov, 0, moov.Length))
        {
            if (type == "trak" && Find(moov, start, length, "mdia") is { } mdia && IsVideo(moov, mdia)
                && Find(moov, mdia.Start, mdia.Length, "mdhd") is { } mdhd
                && Find(moov, mdia.Start, mdia.Length, "minf") is { } minf
                && Find(moov, minf.Start, minf.Length, "stbl") is { } stbl
                && Find(moov, stbl.Start, stbl.Length, "stts") is { } stts)
            {
                return Rate(TimeScale(moov, mdhd), moov.AsSpan(stts.Start, stts.Length));
            }
        }

        return null;
    }

    private static bool IsVideo(byte[] box, (int Start, int Length) mdia) =>
        Find(box, mdia.Start, mdia.Length, "hdlr") is { Length: >= 12 } hdlr && Encoding.ASCII.GetString(box, hdlr.Start + 8, 4) == "vide";

    private static uint TimeScale(byte[] box, (int Start, int Length) mdhd)
    {
        // version 0: creation and modification times are 32-bit; version 1: 64-bit.
        var offset = box[mdhd.Start] == 1 ? 4 + 16 : 4 + 8;
        return mdhd.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(box.AsSpan(mdhd.Start + offset, 4)) : 0;
    }

    private static double? Rate(uint timeScale, ReadOnlySpan<byte> stts)
    {
        if (timeScale == 0 || stts.Length < 8)
        {
            return null;
        }

        var entries = BinaryPrimitives.ReadUInt32BigEndian(stts[4..8]);
        ulong samples = 0, ticks = 0;
        for (var i = 0; i < entries && 8 + ((i + 1) * 8) <= stts.Length; i++)
        {
            var entry = stts.Slice(8 + (i * 8), 8);
            var count = BinaryPrimitives.ReadUInt32BigEndian(entry[..4]);
            samples += count;
            ticks += (ulong)count * BinaryPrimitives.ReadUInt32BigEndian(entry[4..8]);
        }

        return samples == 0 || ticks == 0 ? null : Math.Round(samples * (double)timeScale / ticks, 3);
    }

    private static (int Start, int Length)? Find(byte[] box, int start, int length, string wanted)
    {
        foreach (var (type, childStart, childLength) in Children(box, start, length))
        {
            if (type == wanted)
            {
                return (childStart, childLength);
            }
        }

        return null;
    }

    /// <summary>The child boxes in [start, start + length): type and body.</summary>
    private static IEnumerable<(string Type, int Start, int Length)> Children(byte[] box, int start, int length)
    {
        var end = start + length;
        var position = start;
        while (position + 8 <= end)
        {
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(box.AsSpan(position, 4));
            var headerSize = 8;
            if (size == 1 && position + 16 <= end)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(box.AsSpan(position + 8, 8));
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = end - position;
            }

            if (size < headerSize || position + size > end)
            {
                yield break;
            }

            yield return (Encoding.ASCII.GetString(box, position + 4, 4), position + headerSize, (int)size - headerSize);
            position += (int)size;
        }
    }
}
