using System.Buffers.Binary;

namespace CctvEdge.Node.Live;

/// <summary>Finds a box by its path of types in a buffer of whole MP4 boxes.</summary>
internal static class Mp4Boxes
{
    /// <summary>The payload of the first box along the path (after its 8-byte header), or empty.</summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> data, params string[] path)
    {
        foreach (var type in path)
        {
            data = Child(data, type);
            if (data.IsEmpty)
            {
                return data;
            }
        }

        return data;
    }

    private static ReadOnlySpan<byte> Child(ReadOnlySpan<byte> data, string type)
    {
        var at = 0;
        while (at + 8 <= data.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            if (size < 8 || at + size > data.Length)
            {
                return [];
            }

            if (data[(at + 4)..(at + 8)].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(type)))
            {
                return data[(at + 8)..(at + (int)size)];
            }

            at += (int)size;
        }

        return [];
    }
}
