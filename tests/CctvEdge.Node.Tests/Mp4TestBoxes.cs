using System.Buffers.Binary;
using System.Text;

namespace CctvEdge.Node.Tests;

/// <summary>Minimal MP4 boxes for tests of the fragment tail: only the boxes and fields it reads.</summary>
internal static class Mp4TestBoxes
{
    public static byte[] Box(string type, params byte[][] children)
    {
        var payload = children.SelectMany(c => c).ToArray();
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        payload.CopyTo(box, 8);
        return box;
    }

    /// <summary>ftyp + moov with a version-0 mdhd of the given timescale.</summary>
    public static byte[] Init(uint timescale)
    {
        var mdhd = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(mdhd.AsSpan(12), timescale);
        return [.. Box("ftyp", "isom"u8.ToArray()), .. Box("moov", Box("trak", Box("mdia", Box("mdhd", mdhd))))];
    }

    /// <summary>moof (with a version-1 tfdt) + mdat of <paramref name="mediaBytes"/> bytes.</summary>
    public static byte[] Fragment(ulong decodeTime, int mediaBytes)
    {
        var tfdt = new byte[12];
        tfdt[0] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(tfdt.AsSpan(4), decodeTime);
        return [.. Box("moof", Box("traf", Box("tfdt", tfdt))), .. Box("mdat", Enumerable.Repeat((byte)0xAB, mediaBytes).ToArray())];
    }

    public static void Append(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(bytes);
    }
}
