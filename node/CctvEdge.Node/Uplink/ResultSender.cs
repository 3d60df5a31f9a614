using CctvEdge.Node.Outbox;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// Sends the outbox's results up the session in batches, a bounded window ahead of the acks, so the link stays busy
/// while the server commits earlier batches. The session sender calls it whenever it wakes; so does the fleet
/// benchmark, which is why it needs nothing of the session but the writer, the outbox and the delivery state.
/// </summary>
internal sealed class ResultSender(IClientStreamWriter<NodeMessage> requests, IResultOutbox outbox, SessionState state, ResultSendLimits? limits = null)
{
    private readonly ResultSendLimits _limits = limits ?? ResultSendLimits.Default;

    /// <summary>Sends batches until the window is full or the outbox has nothing more after what was sent.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        while (state.LastSent - state.LastAcknowledged < _limits.MaxInFlight)
        {
            var batch = await outbox.ReadAfterAsync(state.LastSent, _limits.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return;
            }

            var message = new ResultBatch();
            var bytes = 0;
            foreach (var result in batch)
            {
                bytes += result.CalculateSize();
                if (message.Results.Count > 0 && bytes > _limits.BatchBytes)
                {
                    break;
                }

                message.Results.Add(result);
            }

            await requests.WriteAsync(new NodeMessage { Results = message }).ConfigureAwait(false);
            state.LastSent = message.Results[^1].Sequence;
        }
    }
}

/// <summary>How results go up: results a batch, bytes a batch, and results sent ahead of the acks.</summary>
/// <param name="BatchSize">Results a batch: the server stores a batch in one transaction, so larger batches cost it
/// fewer commits while a backlog replays (200 gave about 1,400 results/s on a loaded 2-core box).</param>
/// <param name="BatchBytes">Bytes a batch, well under the server's 16 MiB message limit even with thumbnails.</param>
/// <param name="MaxInFlight">Results sent and not yet acknowledged: enough for several batches to wait in the
/// server's queue while one commits, so the link and the server never wait on each other.</param>
internal sealed record ResultSendLimits(int BatchSize, int BatchBytes, ulong MaxInFlight)
{
    public static ResultSendLimits Default { get; } = new(1000, 1024 * 1024, 8000);
}
