using System.Text;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// What the node reads of a pushed JPEG without decoding it: whether it is one whole JPEG, and its COM segments,
/// where IQeye and other cameras write what triggered the upload.
/// </summary>
internal static class JpegFile
{
    /// <summary>The longest comment kept; COM segments can hold 64 KB and the event's payload has a 64 KB limit.</summary>
    public const int MaxCommentChars = 2048;

    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;
    private const byte Comment = 0xFE;

    /// <summary>Starts with SOI and a marker, ends with EOI: a whole JPEG, not an upload cut short or another format.</summary>
    public static bool IsComplete(ReadOnlySpan<byte> bytes) => SnapshotSlot.LooksComplete(bytes) && bytes[2] == Marker;

    /// <summary>
    /// The text of each COM segment before the picture data, trailing NULs and blanks trimmed, empty ones left out.
    /// Bytes that are not UTF-8 are read as Latin-1 (older cameras). A damaged header ends the walk: the comments found
    /// so far are kept.
    /// </summary>
    public static IReadOnlyList<string> Comments(ReadOnlySpan<byte> bytes)
    {
        var comments = new List<string>();
        foreach (var (kind, start, length) in Segments(bytes))
        {
            if (kind == Comment && Text(bytes.Slice(start, length)) is { Length: > 0 } text)
            {
                comments.Add(text);
            }
        }

        return comments;
    }

    /// <summary>The picture's size from its start-of-frame header, or null when there is none.</summary>
    public static (int Width, int Height)? Size(ReadOnlySpan<byte> bytes)
    {
        foreach (var (kind, start, length) in Segments(bytes))
        {
            // SOF0 to SOF15, but DHT (C4), JPG (C8) and DAC (CC) share the range.
            if (kind is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC) && length >= 5)
            {
                var height = (bytes[start + 1] << 8) | bytes[start + 2];
                var width = (bytes[start + 3] << 8) | bytes[start + 4];
                return width > 0 && height > 0 ? (width, height) : null;
            }
        }

        return null;
    }

    /// <summary>The header segments before the picture data: marker kind, where the payload starts and its length.</summary>
    private static List<(byte Kind, int Start, int Length)> Segments(ReadOnlySpan<byte> bytes)
    {
        var segments = new List<(byte, int, int)>();
        if (bytes.Length < 4 || bytes[0] != Marker || bytes[1] != StartOfImage)
        {
            return segments;
        }

        var at = 2;
        while (at + 1 < bytes.Length && bytes[at] == Marker)
        {
            var kind = bytes[at + 1];
            if (kind == Marker)
            {
                at++; // a fill byte
                continue;
            }

            if (kind is StartOfScan or EndOfImage)
            {
                break;
            }

            if (kind is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // markers without a length
                continue;
            }

            var length = at + 4 <= bytes.Length ? (bytes[at + 2] << 8) | bytes[at + 3] : 0;
            if (length < 2 || at + 2 + length > bytes.Length)
            {
                break; // damaged: keep what was read
            }

            segments.Add((kind, at + 4, length - 2));
            at += 2 + length;
        }

        return segments;
    }

    private static string Text(ReadOnlySpan<byte> data)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(data);
        }

        text = text.TrimEnd('\0', ' ', '\r', '\n', '\t');
        return text.Length > MaxCommentChars ? text[..MaxCommentChars] : text;
    }
}
