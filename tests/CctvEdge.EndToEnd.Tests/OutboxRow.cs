using System.Text;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// What a row of the node's outbox holds, read straight from the Result message's wire format, so the tests need no
/// reference to the node's generated types. Field numbers from cctvedge/v1/node.proto: Result.event = 10,
/// Result.measurement = 11; Event.event_id = 1, Event.end = 4; Measurement.name = 1, Measurement.at = 4; Timestamp seconds = 1, nanos = 2.
/// </summary>
internal static class OutboxRow
{
    public static (string? EventId, bool EventEnded, (string Name, long AtMs)? Measurement) Read(byte[] result)
    {
        foreach (var (field, body, _) in Fields(result))
        {
            if (field == 10)
            {
                var fields = Fields(body).ToList();
                return (fields.Where(f => f.Field == 1).Select(f => Encoding.UTF8.GetString(f.Body)).FirstOrDefault(), fields.Any(f => f.Field == 4), null);
            }

            if (field == 11)
            {
                var measured = Fields(body).ToList();
                var name = Encoding.UTF8.GetString(measured.First(f => f.Field == 1).Body);
                var at = measured.FirstOrDefault(f => f.Field == 4).Body ?? [];
                var parts = Fields(at).ToDictionary(f => f.Field, f => f.Varint);
                return (null, false, (name, (parts.GetValueOrDefault(1) * 1000) + (parts.GetValueOrDefault(2) / 1_000_000)));
            }
        }

        return (null, false, null);
    }

    /// <summary>The top-level fields of a message: length-delimited ones with their bytes, varints with their value.</summary>
    private static IEnumerable<(int Field, byte[] Body, long Varint)> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var tag = ReadVarint(message, ref at);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (field, [], ReadVarint(message, ref at));
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref at);
                    yield return (field, message[at..(at + length)], 0);
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {tag & 7} at byte {at}");
            }
        }
    }

    private static long ReadVarint(byte[] message, ref int at)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (long)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
