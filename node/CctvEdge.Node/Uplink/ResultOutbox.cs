using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// Results waiting for the server, in sequence order. Append numbers a result; the uplink reads batches after the
/// last sequence it sent and removes what the server acknowledged.
/// </summary>
internal interface IResultOutbox
{
    /// <summary>Results appended and not yet acknowledged.</summary>
    long PendingCount { get; }

    /// <summary>Results dropped before reaching the server since start.</summary>
    long LostCount { get; }

    /// <summary>Numbers and stores a result; returns its sequence.</summary>
    ulong Append(Result result);

    /// <summary>Up to <paramref name="max"/> results with a sequence above <paramref name="afterSequence"/>.</summary>
    IReadOnlyList<Result> ReadAfter(ulong afterSequence, int max);

    /// <summary>Forgets every result up to and including <paramref name="sequence"/>.</summary>
    void Acknowledge(ulong sequence);

    /// <summary>
    /// Called with the first welcome of this process: when the server already holds sequences at or beyond what this
    /// node would use (its state was reset, or another node shares its id), renumber the pending results above it.
    /// </summary>
    void Rebase(ulong serverLastSequence);

    /// <summary>Raised after each append, outside the outbox's lock.</summary>
    event Action? Appended;
}

/// <summary>
/// An outbox in memory, bounded: when full, the oldest result is dropped, counted and logged as an error, so a loss
/// is never silent. A process restart loses what was pending; the durable outbox replaces this.
/// </summary>
internal sealed partial class MemoryResultOutbox(SequenceCounter sequences, int capacity, ILogger<MemoryResultOutbox> logger) : IResultOutbox
{
    private readonly LinkedList<Result> _pending = new();
    private long _lost;

    public event Action? Appended;

    public long PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public long LostCount => Interlocked.Read(ref _lost);

    public ulong Append(Result result)
    {
        lock (_pending)
        {
            result.Sequence = sequences.Next();
            _pending.AddLast(result);
            if (_pending.Count > capacity)
            {
                var dropped = _pending.First!.Value;
                _pending.RemoveFirst();
                var lost = Interlocked.Increment(ref _lost);
                LogDropped(logger, dropped.Sequence, dropped.CameraId, dropped.PluginId, capacity, lost);
            }
        }

        Appended?.Invoke();
        return result.Sequence;
    }

    public IReadOnlyList<Result> ReadAfter(ulong afterSequence, int max)
    {
        lock (_pending)
        {
            return _pending.Where(r => r.Sequence > afterSequence).Take(max).ToList();
        }
    }

    public void Acknowledge(ulong sequence)
    {
        lock (_pending)
        {
            while (_pending.First is { } first && first.Value.Sequence <= sequence)
            {
                _pending.RemoveFirst();
            }
        }
    }

    public void Rebase(ulong serverLastSequence)
    {
        lock (_pending)
        {
            if (sequences.Peek() > serverLastSequence)
            {
                return;
            }

            LogRebased(logger, serverLastSequence, sequences.Peek());
            sequences.MoveBeyond(serverLastSequence);
            foreach (var result in _pending)
            {
                result.Sequence = sequences.Next();
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Outbox full ({Capacity} results waiting for the server): dropped result {Sequence} of camera {CameraId}, plugin {PluginId}. {Lost} results lost since start.")]
    private static partial void LogDropped(ILogger logger, ulong sequence, string cameraId, string pluginId, int capacity, long lost);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "The server already holds results up to sequence {ServerLast}, beyond this node's next sequence {Next}: the node's state was reset or another node uses the same id. Renumbering pending results.")]
    private static partial void LogRebased(ILogger logger, ulong serverLast, ulong next);
}
