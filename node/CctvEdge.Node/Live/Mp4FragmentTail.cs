using System.Buffers.Binary;

namespace CctvEdge.Node.Live;

/// <summary>What a read of a growing fragmented MP4 gave: the init segment (ftyp+moov), media fragments (moof+mdat).</summary>
internal abstract record Mp4Piece(byte[] Data);

/// <summary>ftyp+moov: what a decoder needs before any fragment; <paramref name="Timescale"/> from the track's mdhd (0 if absent).</summary>
internal sealed record Mp4Init(byte[] Data, uint Timescale) : Mp4Piece(Data);

/// <summary>moof+mdat (with any box before them); <paramref name="DecodeTime"/> from tfdt in the track's timescale (null if absent).</summary>
internal sealed record Mp4Fragment(byte[] Data, ulong? DecodeTime) : Mp4Piece(Data);

/// <summary>
/// Follows one fragmented MP4 file while ffmpeg writes it and hands out only whole boxes: a box is read once its
/// header says it is complete on disk, so a fragment half flushed is simply not there yet. The init segment is
/// handed out once per file (each segment file starts with its own). A box header that cannot be right (smaller
/// than its header, a type that is not four printable characters, larger than any fragment could be) marks the file
/// <see cref="Corrupt"/>: nothing more is read from it, so a damaged file is skipped rather than crashing the stream.
/// </summary>
internal sealed class Mp4FragmentTail(string path, long maxBoxBytes)
{
    private const int HeaderBytes = 8;
    private long _groupStart; // the first byte of the boxes not yet handed out
    private long _next; // the next box header to look at
    private uint _timescale;

    public string Path => path;

    /// <summary>Why the file was given up, or null.</summary>
    public string? Corrupt { get; private set; }

    /// <summary>Whether the init segment has been handed out.</summary>
    public bool HasInit { get; private set; }

    /// <summary>The track's timescale from the init segment (ticks per second), 0 until known.</summary>
    public uint Timescale => _timescale;

    /// <summary>The pieces completed on disk since the last call. A missing file gives none (the ring may have evicted it).</summary>
    public IReadOnlyList<Mp4Piece> ReadAvailable()
    {
        var pieces = new List<Mp4Piece>();
        if (Corrupt is not null)
        {
            return pieces;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return pieces;
        }

        using (stream)
        {
            var length = stream.Length;
            Span<byte> header = stackalloc byte[16];
            while (_next + HeaderBytes <= length)
            {
                stream.Position = _next;
                stream.ReadExactly(header[..HeaderBytes]);
                long size = BinaryPrimitives.ReadUInt32BigEndian(header);
                var type = System.Text.Encoding.ASCII.GetString(header[4..8]);
                if (size == 1)
                {
                    // A 64-bit size follows the type.
                    if (_next + 16 > length)
                    {
                        break;
                    }

                    stream.ReadExactly(header[8..16]);
                    size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                }

                if (!IsPrintable(header[4..8]) || size < HeaderBytes || size > maxBoxBytes)
                {
                    // size 0 ("to the end of the file") is never written in fragmented MP4 and lands here too.
                    Corrupt = $"a box header at byte {_next} cannot be right (type '{Printable(type)}', {size} bytes)";
                    break;
                }

                if (_next + size > length)
                {
                    break; // still being written
                }

                _next += size;
                if (type is "moov" or "mdat")
                {
                    var data = new byte[_next - _groupStart];
                    stream.Position = _groupStart;
                    stream.ReadExactly(data);
                    _groupStart = _next;
                    pieces.Add(type == "moov" ? ReadInit(data) : new Mp4Fragment(data, DecodeTimeOf(data)));
                }
            }
        }

        return pieces;
    }

    private Mp4Init ReadInit(byte[] data)
    {
        HasInit = true;
        var mdhd = Mp4Boxes.Find(data, "moov", "trak", "mdia", "mdhd");
        // Version 1 has 64-bit creation and modification times before the timescale.
        var at = mdhd.Length > 0 && mdhd[0] == 1 ? 20 : 12;
        if (mdhd.Length >= at + 4)
        {
            _timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[at..]);
        }

        return new Mp4Init(data, _timescale);
    }

    private static ulong? DecodeTimeOf(byte[] data)
    {
        var tfdt = Mp4Boxes.Find(data, "moof", "traf", "tfdt");
        return tfdt.Length switch
        {
            >= 12 when tfdt[0] == 1 => BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]),
            >= 8 => BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]),
            _ => null,
        };
    }

    private static bool IsPrintable(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string type) => new(type.Select(c => c is < ' ' or > '~' ? '?' : c).ToArray());
}
