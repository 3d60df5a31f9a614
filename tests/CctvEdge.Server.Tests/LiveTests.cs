using System.Buffers.Binary;
using System.Text;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Server.Tests;

public sealed class LiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private InProcessServer _server = null!;
    private NodeSessionClient _node = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        _node = new NodeSessionClient(_server.Client);
        await _node.ConnectAsync(NodeSessionClient.Hello());
    }

    public async Task DisposeAsync()
    {
        _node.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Stream_FirstViewer_NodeStartsSegmentsArriveOnServerClockAndLeavingStopsIt()
    {
        // The node's clock is 10 s behind the server's.
        var began = DateTimeOffset.UtcNow;
        var nodeNow = began.AddSeconds(-10);
        await _node.SendAsync(new NodeMessage { Heartbeat = new Heartbeat { NodeTime = Timestamp.FromDateTimeOffset(nodeNow) } });
        var response = await _server.Http.GetAsync("/media/live/barn/yard", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        var stream = await response.Content.ReadAsStreamAsync();

        var start = await NextCommandAsync(Command.KindOneofCase.StartLive);
        Assert.Equal(("yard", 20u), (start.StartLive.CameraId, start.StartLive.LeaseSeconds));
        await _node.SendAsync(new NodeMessage { LiveChunk = new LiveChunk { CameraId = "yard", CapturedAt = Timestamp.FromDateTimeOffset(nodeNow.AddSeconds(-1)), DurationSeconds = 1, Data = ByteString.CopyFrom(1, 2, 3), Sequence = 1 } });

        var (type, captured, payload) = await ReadFrameAsync(stream, wanted: 1);
        Assert.Equal(1, type);
        Assert.Equal(new byte[] { 1, 2, 3 }, payload);
        // A second before the test began on the server's clock (the node's would put it 11 s back), however slow the machine.
        Assert.InRange(captured, began.AddSeconds(-2.5), DateTimeOffset.UtcNow);

        response.Dispose();
        Assert.Equal("yard", (await NextCommandAsync(Command.KindOneofCase.StopLive)).StopLive.CameraId);
    }

    [Fact]
    public async Task Stream_SecondViewerJoinsMidSegment_GetsTheSegmentSoFarFromItsInit()
    {
        using var first = await _server.Http.GetAsync("/media/live/barn/yard", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        var firstStream = await first.Content.ReadAsStreamAsync();
        await NextCommandAsync(Command.KindOneofCase.StartLive);
        byte[] old = [.. Fragment("ftyp"), .. Fragment("moof")];
        byte[] init = [.. Fragment("ftyp"), .. Fragment("moov")];
        byte[] next = Fragment("moof");
        foreach (var (data, sequence) in new[] { (old, 1UL), (init, 2UL), (next, 3UL) })
        {
            await _node.SendAsync(new NodeMessage { LiveChunk = new LiveChunk { CameraId = "yard", CapturedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Data = ByteString.CopyFrom(data), Sequence = sequence } });
        }

        // The first viewer has seen all three, so the server has them.
        for (var i = 0; i < 3; i++)
        {
            await ReadFrameAsync(firstStream, wanted: 1);
        }

        using var second = await _server.Http.GetAsync("/media/live/barn/yard", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        var secondStream = await second.Content.ReadAsStreamAsync();

        // Keep-alives come every 2 s: without the replay this would wait for the node's next chunk, which never comes.
        Assert.Equal(init, (await ReadFrameAsync(secondStream, wanted: 1).WaitAsync(Timeout)).Payload);
        Assert.Equal(next, (await ReadFrameAsync(secondStream, wanted: 1).WaitAsync(Timeout)).Payload);
    }

    /// <summary>An 8-byte box header of the type: enough for the server, which looks only for ftyp at the start.</summary>
    private static byte[] Fragment(string type) => [0, 0, 0, 8, .. Encoding.ASCII.GetBytes(type)];

    [Fact]
    public async Task Stream_NodeRefuses_ViewerToldWhy()
    {
        using var response = await _server.Http.GetAsync("/media/live/barn/yard", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        var stream = await response.Content.ReadAsStreamAsync();
        var start = await NextCommandAsync(Command.KindOneofCase.StartLive);

        await _node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = start.CommandId, Ok = false, Error = "Live view needs recording." } });

        var (_, _, text) = await ReadFrameAsync(stream, wanted: 3);
        Assert.Equal("Live view needs recording.", Encoding.UTF8.GetString(text));
    }

    private async Task<Command> NextCommandAsync(Command.KindOneofCase kind)
    {
        while (true)
        {
            var message = await _node.ReadAsync();
            if (message.BodyCase == ServerMessage.BodyOneofCase.Command && message.Command.KindCase == kind)
            {
                return message.Command;
            }
        }
    }

    /// <summary>Reads frames (skipping keep-alives and others) until one of type <paramref name="wanted"/>.</summary>
    private static async Task<(byte Type, DateTimeOffset Captured, byte[] Payload)> ReadFrameAsync(Stream stream, byte wanted)
    {
        while (true)
        {
            var header = new byte[29];
            await stream.ReadExactlyAsync(header).AsTask().WaitAsync(Timeout);
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
            await stream.ReadExactlyAsync(payload).AsTask().WaitAsync(Timeout);
            if (header[0] == wanted)
            {
                return (header[0], DateTimeOffset.FromUnixTimeMilliseconds((long)BinaryPrimitives.ReadDoubleBigEndian(header.AsSpan(5))), payload);
            }
        }
    }
}
