using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>A node replaying its backlog: batches sent ahead of the acks, grouped into transactions, cut and resent.</summary>
public sealed class ReplayTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Backlog_SessionCutWithBatchesInFlightThenResentWithOverlap_EveryResultStoredExactlyOnce()
    {
        const int total = 4000;
        await using var server = await InProcessServer.StartAsync();
        ulong afterCut;
        using (var first = new NodeSessionClient(server.Client))
        {
            await first.ConnectAsync(NodeSessionClient.Hello());
            await SendAheadAsync(first, 1, total / 2, 250);
            Assert.Equal((ulong)total / 2, await ReadAcksUntilAsync(first, total / 2));
            // The second half goes out and the link drops before any of its acks is read.
            await SendAheadAsync(first, (total / 2) + 1, total, 250);
        }

        using var second = new NodeSessionClient(server.Client);
        afterCut = (await second.ConnectAsync(NodeSessionClient.Hello())).LastSequence;
        Assert.InRange(afterCut, (ulong)total / 2, (ulong)total);
        // A node whose outbox lost its watermark (say) resends from well before what the server holds.
        await SendAheadAsync(second, (int)afterCut - 700, total, 300);
        Assert.Equal((ulong)total, await ReadAcksUntilAsync(second, total));

        Assert.Equal(total - (total / 10), await CountAsync(server, "measurements"));
        Assert.Equal(total / 20, await CountAsync(server, "events"));
        Assert.Equal(total / 20, await CountAsync(server, "events WHERE end_ms IS NOT NULL"));
        Assert.Equal(total - (total / 10), await CountAsync(server, "(SELECT DISTINCT at_ms FROM measurements) AS moments"));
        Assert.Equal(1, await CountAsync(server, $"nodes WHERE id = 'barn' AND last_sequence = {total}"));
    }

    [Fact]
    public async Task Batches_SentAheadOfTheAcks_AckedInOrderEachAfterItsResultsAreStored()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());

        await SendAheadAsync(node, 1, 2000, 100);

        var previous = 0UL;
        while (previous < 2000)
        {
            var message = await node.ReadAsync();
            if (message.BodyCase != ServerMessage.BodyOneofCase.Ack)
            {
                continue;
            }

            var ack = message.Ack.Sequence;
            Assert.True(ack > previous, $"ack {ack} after {previous}");
            // Everything an ack covers is already committed: a node may forget it the moment the ack arrives.
            Assert.True(await CountAsync(server, "measurements") + await CountAsync(server, "events") >= (long)(ack - (ack / 20)), $"ack {ack} came before its results were stored");
            previous = ack;
        }
    }

    [Fact]
    public async Task StoreAsync_BatchesOfTwoNodesInOneTransaction_EachStoredOnceWithItsOwnOutcome()
    {
        await using var server = await InProcessServer.StartAsync();
        foreach (var id in new[] { "barn", "gate" })
        {
            using var node = new NodeSessionClient(server.Client);
            await node.ConnectAsync(NodeSessionClient.Hello(id));
        }

        var ingestor = server.Services.GetRequiredService<ResultIngestor>();
        var outcomes = await ingestor.StoreAsync(
            [
                new IngestBatch("barn", Results(1, 10)),
                new IngestBatch("gate", Results(1, 4)),
                // The barn's resend overlapping its first batch, in the same transaction.
                new IngestBatch("barn", Results(6, 15)),
            ],
            CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([10UL, 4UL, 15UL], outcomes.Select(o => o.AcknowledgedSequence));
        Assert.Equal([10, 4, 5], outcomes.Select(o => o.Stored));
        Assert.Equal(14, await CountAsync(server, "measurements WHERE node_id = 'barn'"));
        Assert.Equal(4, await CountAsync(server, "measurements WHERE node_id = 'gate'"));
        Assert.Equal(1, await CountAsync(server, "nodes WHERE id = 'barn' AND last_sequence = 15"));
        // Motion peaks gathered over the transaction land in their minutes, the highest of each.
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        var peaks = (await connection.QueryAsync<(long Minute, double Peak)>("SELECT minute_ms, peak FROM motion_minutes WHERE node_id = 'barn' ORDER BY minute_ms")).ToList();
        Assert.Equal([(T0.ToUnixTimeMilliseconds(), 11 / 100.0), (T0.AddMinutes(1).ToUnixTimeMilliseconds(), 15 / 100.0)], peaks);
    }

    /// <summary>
    /// Results <paramref name="first"/>..<paramref name="last"/>: every tenth an event, opened at 10, 30, 50... and
    /// closed ten results later; the rest motion magnitudes of i/100, five seconds apart.
    /// </summary>
    private static Result[] Results(int first, int last) =>
        Enumerable.Range(first, last - first + 1).Select(i => i % 10 == 0 ? Event(i) : NodeSessionClient.Measurement((ulong)i, i / 100.0, at: T0.AddSeconds(i * 5))).ToArray();

    private static Result Event(int i)
    {
        var opened = i % 20 == 10;
        return NodeSessionClient.Event((ulong)i, $"e{(i + 10) / 20}", T0.AddSeconds(opened ? i : i - 10), opened ? null : T0.AddSeconds(i));
    }

    private static async Task SendAheadAsync(NodeSessionClient node, int first, int last, int batchSize)
    {
        for (var start = first; start <= last; start += batchSize)
        {
            var batch = new ResultBatch();
            batch.Results.AddRange(Results(start, Math.Min(last, start + batchSize - 1)));
            await node.SendAsync(new NodeMessage { Results = batch });
        }
    }

    private static async Task<ulong> ReadAcksUntilAsync(NodeSessionClient node, int sequence)
    {
        var acked = 0UL;
        while (acked < (ulong)sequence)
        {
            var message = await node.ReadAsync();
            acked = message.BodyCase == ServerMessage.BodyOneofCase.Ack ? message.Ack.Sequence : acked;
        }

        return acked;
    }

    private static async Task<long> CountAsync(InProcessServer server, string from)
    {
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {from}");
    }
}
