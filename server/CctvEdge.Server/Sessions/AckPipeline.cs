using System.Threading.Channels;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// A session's batches between the reader and their acks. The reader hands each batch to the ingest queue and reads
/// on while it commits, so batches the node sent ahead are read, queued and stored together; acks still go out in the
/// order the batches came, each once its batch is committed (never before: an ack is the node's licence to forget).
/// </summary>
internal sealed class AckPipeline
{
    // Enough to keep the ingest queue fed while a transaction commits; bounded so a node cannot queue without end.
    private const int MaxBatchesInFlight = 16;
    private readonly Channel<Task<IngestOutcome>> _pending = Channel.CreateBounded<Task<IngestOutcome>>(
        new BoundedChannelOptions(MaxBatchesInFlight) { SingleReader = true, SingleWriter = true });

    /// <summary>Waits while <see cref="MaxBatchesInFlight"/> batches wait for their commit.</summary>
    public ValueTask AddAsync(Task<IngestOutcome> stored, CancellationToken cancellationToken) => _pending.Writer.WriteAsync(stored, cancellationToken);

    /// <summary>No more batches: <see cref="RunAsync"/> ends after the acks of those already added.</summary>
    public void Complete() => _pending.Writer.TryComplete();

    /// <summary>Calls <paramref name="acknowledge"/> for each batch in order once it is stored; fails as a store fails.</summary>
    public async Task RunAsync(Action<IngestOutcome> acknowledge, CancellationToken cancellationToken)
    {
        await foreach (var stored in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            acknowledge(await stored.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
    }
}
