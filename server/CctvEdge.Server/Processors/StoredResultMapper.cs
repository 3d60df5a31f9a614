using CctvEdge.Protocol.V1;
using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.Server.Processors;

/// <summary>Turns stored wire results into the processor SDK's records (processors never see protobuf types).</summary>
internal static class StoredResultMapper
{
    public static StoredResults Map(string nodeId, IReadOnlyList<Result> results) =>
        new(nodeId, [.. results.Select(Map)]);

    private static StoredResult Map(Result r)
    {
        var mapped = new StoredResult(r.Sequence, r.CameraId, r.PluginId, r.ProducedAt?.ToDateTimeOffset() ?? default);
        return r.BodyCase switch
        {
            Result.BodyOneofCase.Event => mapped with
            {
                Event = new StoredEvent(r.Event.EventId, r.Event.Kind, r.Event.Start.ToDateTimeOffset(), r.Event.End?.ToDateTimeOffset(), r.Event.Peak, [.. r.Event.Zones], r.Event.PayloadJson),
            },
            Result.BodyOneofCase.Measurement => mapped with
            {
                Measurement = new StoredMeasurement(r.Measurement.Name, r.Measurement.Value, r.Measurement.Unit, r.Measurement.At.ToDateTimeOffset()),
            },
            Result.BodyOneofCase.File => mapped with
            {
                File = new StoredFile(r.File.Kind, r.File.Name, r.File.ContentType, r.File.Data.Length, r.File.EventId),
            },
            Result.BodyOneofCase.Clip => mapped with
            {
                Clip = new StoredClip(r.Clip.ClipId, r.Clip.Start.ToDateTimeOffset(), r.Clip.End.ToDateTimeOffset(), (long)r.Clip.Size, r.Clip.EventId, r.Clip.Reason),
            },
            _ => mapped,
        };
    }
}
