using CctvEdge.Protocol.V1;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// Results waiting for the server, in sequence order. Appending numbers a result and returns once it is durable;
/// the uplink reads batches after the last sequence it sent and acknowledges what the server stored.
/// </summary>
internal interface IResultOutbox
{
    /// <summary>Results appended and not yet acknowledged.</summary>
    long PendingCount { get; }

    /// <summary>Results dropped before reaching the server since start.</summary>
    long LostCount { get; }

    /// <summary>The highest sequence the server has acknowledged.</summary>
    ulong AcknowledgedSequence { get; }

    /// <summary>The highest sequence handed out.</summary>
    ulong LastSequence { get; }

    /// <summary>Numbers and stores a result; returns its sequence once it is on disk.</summary>
    ValueTask<ulong> AppendAsync(Result result, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> results with a sequence above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<Result>> ReadAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken);

    /// <summary>Forgets every result up to and including <paramref name="sequence"/>.</summary>
    void Acknowledge(ulong sequence);

    /// <summary>
    /// Called with the first welcome of this process: when the server already holds sequences at or beyond what this
    /// node would use (its state was reset, or another node shares its id), renumber the pending results above it.
    /// </summary>
    Task RebaseAsync(ulong serverLastSequence, CancellationToken cancellationToken);

    /// <summary>Raised after results were appended, outside any lock.</summary>
    event Action? Appended;
}
