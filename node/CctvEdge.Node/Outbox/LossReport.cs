using System.Text.Json;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// When the node must drop data the server has not got, it says so with a "system" event: what was lost, why and
/// how much. The event travels like any result, so the server learns of the loss exactly once and shows it.
/// </summary>
internal static class LossReport
{
    public const string Kind = "system";
    public const string PluginId = "node";

    public static Result Results(int count, ulong first, ulong last, int capacity, DateTimeOffset at) =>
        Event("", at, new { lost = "results", count, firstSequence = first, lastSequence = last, reason = $"more than {capacity} results waited for the server" });

    public static Result Clip(string cameraId, string clipId, DateTimeOffset start, DateTimeOffset end, long bytes, string reason, DateTimeOffset at) =>
        Event(cameraId, at, new { lost = "clip", clipId, cameraId, start, end, bytes, reason });

    private static Result Event(string cameraId, DateTimeOffset at, object payload) => new()
    {
        CameraId = cameraId,
        PluginId = PluginId,
        ProducedAt = Timestamp.FromDateTimeOffset(at),
        Event = new Event
        {
            EventId = "loss-" + Guid.NewGuid().ToString("N"),
            Kind = Kind,
            Start = Timestamp.FromDateTimeOffset(at),
            End = Timestamp.FromDateTimeOffset(at),
            PayloadJson = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
        },
    };
}
