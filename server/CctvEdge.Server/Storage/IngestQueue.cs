using System.Threading.Channels;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Result batches of every session, stored by one writer: whatever queued while the previous transaction committed
/// goes into the next one (group commit), so a node replaying its backlog with several batches in flight, or many
/// nodes at once, pay one transaction and one fsync per group instead of one per batch. Order is kept per node,
/// because one writer takes the batches in the order the sessions queued them.
/// </summary>
internal sealed partial class IngestQueue : IAsyncDisposable
{
    // Bounds a transaction's length (and how long the write gate is held from the web's writes).
    private const int MaxResultsPerTransaction = 5000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ResultIngestor _ingestor;
    private readonly ILogger<IngestQueue> _logger;
    private readonly Task _writer;

    public IngestQueue(ResultIngestor ingestor, ILogger<IngestQueue> logger)
    {
        _ingestor = ingestor;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a batch; the task completes once it is committed (or fails with the reason it was not).</summary>
    public Task<IngestOutcome> EnqueueAsync(string nodeId, IReadOnlyList<Result> results)
    {
        var pending = new PendingBatch(new IngestBatch(nodeId, results));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.TrySetException(new ObjectDisposedException(nameof(IngestQueue), "The server is stopping."));
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            // What was queued before the stop is stored (and acked if its session is still there); a stuck disk must
            // not hold the stop, and its batches are resent by their nodes anyway.
            await _writer.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingBatch>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                group.Clear();
                var results = 0;
                while (results < MaxResultsPerTransaction && _queue.Reader.TryRead(out var pending))
                {
                    group.Add(pending);
                    results += pending.Batch.Results.Count;
                }

                await StoreGroupAsync(group).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled(_stop.Token);
        }
    }

    private async Task StoreGroupAsync(List<PendingBatch> group)
    {
        try
        {
            var outcomes = await _ingestor.StoreAsync(group.Select(p => p.Batch).ToList(), _stop.Token).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception ex) when (group.Count > 1 && ex is not OperationCanceledException)
        {
            // One node's bad batch must not end the other sessions of the group: store each on its own.
            LogGroupFailed(_logger, group.Count, ex);
            foreach (var pending in group)
            {
                await StoreGroupAsync([pending]).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in group)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    private sealed class PendingBatch(IngestBatch batch)
    {
        public IngestBatch Batch { get; } = batch;

        public TaskCompletionSource<IngestOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "A group of {Count} result batches could not be stored together; storing them one by one.")]
    private static partial void LogGroupFailed(ILogger logger, int count, Exception exception);
}
