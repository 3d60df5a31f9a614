using CctvEdge.Node.Outbox;
using CctvEdge.Protocol.V1;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// An outbox in memory for the steady-rate runs: many simulated nodes share this process and its disk with the
/// server, so their own SQLite outboxes would measure the bench's fsyncs rather than the server. The backlog run uses
/// the node's real <see cref="DurableResultOutbox"/>.
/// </summary>
internal sealed class MemoryOutbox : IResultOutbox
{
    private readonly object _gate = new();
    private readonly List<Result> _pending = [];
    private long _acknowledged;
    private long _last;

    public event Action? Appended;

    public long PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public long LostCount => 0;

    public ulong AcknowledgedSequence => (ulong)Interlocked.Read(ref _acknowledged);

    public ulong LastSequence => (ulong)Interlocked.Read(ref _last);

    public ValueTask<ulong> AppendAsync(Result result, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            result.Sequence = (ulong)Interlocked.Increment(ref _last);
            _pending.Add(result);
        }

        Appended?.Invoke();
        return ValueTask.FromResult(result.Sequence);
    }

    public Task<IReadOnlyList<Result>> ReadAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var start = _pending.FindIndex(r => r.Sequence > afterSequence);
            IReadOnlyList<Result> batch = start < 0 ? [] : _pending.GetRange(start, Math.Min(max, _pending.Count - start));
            return Task.FromResult(batch);
        }
    }

    public void Acknowledge(ulong sequence)
    {
        lock (_gate)
        {
            if ((long)sequence <= _acknowledged)
            {
                return;
            }

            _acknowledged = (long)sequence;
            var count = _pending.FindIndex(r => r.Sequence > sequence);
            _pending.RemoveRange(0, count < 0 ? _pending.Count : count);
        }
    }

    public Task RebaseAsync(ulong serverLastSequence, CancellationToken cancellationToken) => Task.CompletedTask;
}
