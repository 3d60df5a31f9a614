using CctvEdge.Node.Uplink;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CctvEdge.Node.Tests;

public sealed class ResultSenderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SendAsync_Backlog_SendsFullBatchesUntilTheWindowIsFullThenMoreAfterAnAck()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        await AppendAsync(outbox, 1000);
        var link = new RecordingLink();
        var state = new SessionState(0, new ResultDelivery());
        var sender = new ResultSender(link, outbox.Results, state, new ResultSendLimits(100, 1024 * 1024, 300));

        await sender.SendAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([100, 100, 100], link.Batches.Select(b => b.Count));
        Assert.Equal(300UL, state.LastSent);

        state.Acknowledged(150);
        await sender.SendAsync(CancellationToken.None).WaitAsync(Timeout);

        // 150 acknowledged: a batch goes while fewer than 300 are in flight (150, then 250), then no more (350).
        Assert.Equal(5, link.Batches.Count);
        Assert.Equal(301UL, link.Batches[3][0]);
        Assert.Equal(500UL, state.LastSent);
    }

    [Fact]
    public async Task SendAsync_SessionCutWithBatchesInFlight_EveryResultReachesTheServerExactlyOnce()
    {
        const int total = 3000;
        await using var outbox = await TestOutbox.OpenAsync();
        await AppendAsync(outbox, total);
        var server = new DedupingServer();
        var limits = new ResultSendLimits(200, 1024 * 1024, 1000);

        // First session: the server commits what arrives but its acks after 600 never reach the node, then the link drops.
        var first = new RecordingLink();
        var state = new SessionState(0, new ResultDelivery());
        var sender = new ResultSender(first, outbox.Results, state, limits);
        await sender.SendAsync(CancellationToken.None).WaitAsync(Timeout);
        server.Commit(first.Batches.Take(3));
        state.Acknowledged(600);
        outbox.Results.Acknowledge(600);
        await sender.SendAsync(CancellationToken.None).WaitAsync(Timeout);
        server.Commit(first.Batches.Skip(3).Take(2));
        Assert.Equal(1000UL, server.LastSequence);
        Assert.Equal(1600UL, state.LastSent);

        // Second session: the welcome says what the server holds; the node goes on from there with acks flowing.
        var second = new RecordingLink();
        outbox.Results.Acknowledge(server.LastSequence);
        state = new SessionState(server.LastSequence, new ResultDelivery());
        sender = new ResultSender(second, outbox.Results, state, limits);
        while (outbox.Results.AcknowledgedSequence < total)
        {
            await sender.SendAsync(CancellationToken.None).WaitAsync(Timeout);
            server.Commit(second.Batches.Skip(second.Committed));
            second.Committed = second.Batches.Count;
            state.Acknowledged(server.LastSequence);
            outbox.Results.Acknowledge(server.LastSequence);
        }

        Assert.Equal(1001UL, second.Batches[0][0]);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (ulong)i), server.Stored);
        Assert.Equal(0, server.Duplicates);
    }

    private static Task AppendAsync(TestOutbox outbox, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => outbox.Results.AppendAsync(new Result
        {
            CameraId = "yard",
            PluginId = "motion",
            Measurement = new Measurement { Name = "motion.magnitude", Value = i, Unit = "%", At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
        }, CancellationToken.None).AsTask())).WaitAsync(Timeout);

    /// <summary>The session's request stream: keeps the sequences of every result batch written.</summary>
    private sealed class RecordingLink : IClientStreamWriter<NodeMessage>
    {
        public List<List<ulong>> Batches { get; } = [];

        public int Committed { get; set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(NodeMessage message)
        {
            Batches.Add(message.Results.Results.Select(r => r.Sequence).ToList());
            return Task.CompletedTask;
        }

        public Task CompleteAsync() => Task.CompletedTask;
    }

    /// <summary>What the server does with a batch: results at or below the node's last sequence are resends, dropped.</summary>
    private sealed class DedupingServer
    {
        public List<ulong> Stored { get; } = [];

        public int Duplicates { get; private set; }

        public ulong LastSequence { get; private set; }

        public void Commit(IEnumerable<List<ulong>> batches)
        {
            foreach (var sequence in batches.SelectMany(b => b))
            {
                if (sequence <= LastSequence)
                {
                    Duplicates++;
                    continue;
                }

                Stored.Add(sequence);
                LastSequence = sequence;
            }
        }
    }
}
