using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// What a motion node queues: mostly motion magnitudes (one a second per camera, which also feed the server's motion
/// minutes) with an event opened and closed now and then; no thumbnails or clips, whose files cost disk, not rows.
/// </summary>
internal static class FleetResults
{
    public const string CameraId = "cam1";

    public static Result Make(long index, DateTimeOffset at)
    {
        var result = new Result { CameraId = CameraId, PluginId = "motion", ProducedAt = Timestamp.FromDateTimeOffset(at) };
        if (index % 10 == 0)
        {
            var start = at.AddSeconds(-(index % 20 == 0 ? 0 : 5));
            result.Event = new Event
            {
                EventId = $"ev-{index / 20}",
                Kind = "motion",
                Start = Timestamp.FromDateTimeOffset(start),
                End = index % 20 == 0 ? null : Timestamp.FromDateTimeOffset(at),
                Peak = index % 97,
                Zones = { "yard" },
                PayloadJson = "{\"pixels\":1234}",
            };
        }
        else
        {
            result.Measurement = new Measurement { Name = "motion.magnitude", Value = index % 100 / 100.0, Unit = "ratio", At = Timestamp.FromDateTimeOffset(at) };
        }

        return result;
    }

    public static Hello Hello(string nodeId) => new()
    {
        NodeId = nodeId,
        NodeName = nodeId,
        ProtocolVersion = 1,
        AgentVersion = "fleet-bench",
        Cameras = { new CameraInfo { Id = CameraId, Name = "Yard", SourceKind = "synthetic", PluginIds = { "motion" } } },
    };
}
