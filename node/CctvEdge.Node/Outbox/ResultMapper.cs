using CctvEdge.Node.Cameras;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// Turns what a plugin publishes into wire results, checking it on the way: a plugin's mistake is reported to the
/// plugin as an exception and never reaches the server.
/// </summary>
internal static class ResultMapper
{
    public const int MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxPayloadJsonBytes = 64 * 1024;

    public static Result FromEvent(string cameraId, string pluginId, PluginEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        RequireText(e.EventId, nameof(e.EventId), 64);
        RequireText(e.Kind, nameof(e.Kind), 32);
        if (e.End is { } end && end < e.Start)
        {
            throw new ArgumentException($"Event {e.EventId} ends ({end:O}) before it starts ({e.Start:O}).", nameof(e));
        }

        var wire = new Event
        {
            EventId = e.EventId,
            Kind = e.Kind,
            Start = Timestamp.FromDateTimeOffset(e.Start),
            Peak = double.IsFinite(e.Peak) ? e.Peak : 0,
            PayloadJson = SerializePayload(e.Payload),
        };
        if (e.End is { } ended)
        {
            wire.End = Timestamp.FromDateTimeOffset(ended);
        }

        wire.Zones.AddRange(e.Zones ?? []);
        foreach (var box in e.Boxes ?? [])
        {
            wire.Boxes.Add(new Box { X = Clamp01(box.X), Y = Clamp01(box.Y), Width = Clamp01(box.Width), Height = Clamp01(box.Height) });
        }

        return NewResult(cameraId, pluginId, now, r => r.Event = wire);
    }

    public static Result FromMeasurement(string cameraId, string pluginId, PluginMeasurement m, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(m);
        RequireText(m.Name, nameof(m.Name), 64);
        if (!double.IsFinite(m.Value))
        {
            throw new ArgumentException($"Measurement {m.Name} has no finite value ({m.Value}).", nameof(m));
        }

        var wire = new Measurement { Name = m.Name, Value = m.Value, Unit = m.Unit ?? "", At = Timestamp.FromDateTimeOffset(m.At) };
        return NewResult(cameraId, pluginId, now, r => r.Measurement = wire);
    }

    public static Result FromFile(string cameraId, string pluginId, PluginFile f, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireText(f.Kind, nameof(f.Kind), 32);
        RequireText(f.Name, nameof(f.Name), 128);
        RequireText(f.ContentType, nameof(f.ContentType), 128);
        if (f.Data.Length is 0 or > MaxFileBytes)
        {
            throw new ArgumentException($"File {f.Name} is {f.Data.Length} bytes; files travel in the session and must be 1 byte to {MaxFileBytes} bytes.", nameof(f));
        }

        var wire = new FileBlob { Kind = f.Kind, Name = f.Name, ContentType = f.ContentType, Data = ByteString.CopyFrom(f.Data.Span), EventId = f.EventId ?? "" };
        return NewResult(cameraId, pluginId, now, r => r.File = wire);
    }

    private static Result NewResult(string cameraId, string pluginId, DateTimeOffset now, Action<Result> body)
    {
        var result = new Result { CameraId = cameraId, PluginId = pluginId, ProducedAt = Timestamp.FromDateTimeOffset(now) };
        body(result);
        return result;
    }

    private static string SerializePayload(object? payload)
    {
        if (payload is null)
        {
            return "";
        }

        var json = Plugins.PayloadJson.Serialize(payload);
        return json.Length <= MaxPayloadJsonBytes
            ? json
            : throw new ArgumentException($"Event payload is {json.Length} bytes of JSON; the limit is {MaxPayloadJsonBytes}.", nameof(payload));
    }

    private static void RequireText(string? value, string name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"{name} must be 1 to {maxLength} characters (was '{value}').", name);
        }
    }

    private static float Clamp01(float value) => float.IsFinite(value) ? Math.Clamp(value, 0f, 1f) : 0f;
}
