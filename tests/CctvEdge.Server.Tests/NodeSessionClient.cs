using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CctvEdge.Server.Tests;

/// <summary>Plays a node over a real session: hello, batches, snapshots; every read has a timeout.</summary>
internal sealed class NodeSessionClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly AsyncDuplexStreamingCall<NodeMessage, ServerMessage> _call;

    public NodeSessionClient(NodeService.NodeServiceClient client) => _call = client.Connect();

    public static Hello Hello(string nodeId = "barn", params string[] cameras) => new()
    {
        NodeId = nodeId,
        NodeName = "Barn",
        AgentVersion = "test",
        ProtocolVersion = 1,
        Cameras = { (cameras.Length == 0 ? ["yard"] : cameras).Select(c => new CameraInfo { Id = c, Name = c.ToUpperInvariant(), SourceKind = "synthetic" }) },
    };

    public async Task<Welcome> ConnectAsync(Hello hello)
    {
        await SendAsync(new NodeMessage { Hello = hello });
        var first = await ReadAsync();
        Assert.Equal(ServerMessage.BodyOneofCase.Welcome, first.BodyCase);
        return first.Welcome;
    }

    public Task SendAsync(NodeMessage message) => _call.RequestStream.WriteAsync(message).WaitAsync(Timeout);

    public async Task<ServerMessage> ReadAsync()
    {
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout), "the server ended the session");
        return _call.ResponseStream.Current;
    }

    /// <summary>Sends a batch and returns the sequence the server acknowledged.</summary>
    public async Task<ulong> SendBatchAsync(params Result[] results)
    {
        var batch = new ResultBatch();
        batch.Results.AddRange(results);
        await SendAsync(new NodeMessage { Results = batch });
        var reply = await ReadAsync();
        Assert.Equal(ServerMessage.BodyOneofCase.Ack, reply.BodyCase);
        return reply.Ack.Sequence;
    }

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    /// <summary>Reads until the server ends the call; returns the status.</summary>
    public async Task<Status> EndAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
            {
            }

            return _call.GetStatus();
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    public void Dispose() => _call.Dispose();

    public static Result Event(ulong sequence, string eventId, DateTimeOffset start, DateTimeOffset? end = null, string camera = "yard", double peak = 2.5) => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = "motion",
        ProducedAt = Timestamp.FromDateTimeOffset(start),
        Event = new Event
        {
            EventId = eventId,
            Kind = "motion",
            Start = Timestamp.FromDateTimeOffset(start),
            End = end is { } e ? Timestamp.FromDateTimeOffset(e) : null,
            Peak = peak,
            Zones = { "gate" },
            PayloadJson = """{"motionFrames":3}""",
        },
    };

    public static Result Measurement(ulong sequence, double value, string camera = "yard", DateTimeOffset? at = null) => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = "motion",
        Measurement = new Measurement { Name = "motion.magnitude", Value = value, Unit = "%", At = Timestamp.FromDateTimeOffset(at ?? DateTimeOffset.UtcNow) },
    };

    public static NodeMessage Snapshot(string camera, byte[] jpeg) => new()
    {
        Snapshot = new Snapshot { CameraId = camera, CapturedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Jpeg = ByteString.CopyFrom(jpeg) },
    };
}
