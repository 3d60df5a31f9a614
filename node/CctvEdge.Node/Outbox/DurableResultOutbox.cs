using System.Globalization;
using System.Threading.Channels;
using CctvEdge.Protocol.V1;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// The results outbox on SQLite. Durability: an append returns only after the transaction holding its row has
/// committed with synchronous=FULL in WAL mode, i.e. after fsync of the WAL; so a plugin told "accepted" never loses
/// the result to kill -9 or a power cut. Appends arriving together share one commit (group commit), which keeps the
/// fsync count low on SD cards. Acknowledgements only move a watermark; acknowledged rows are deleted in the
/// background, and if that delete is lost to a crash the server simply drops the resent duplicates.
/// </summary>
internal sealed partial class DurableResultOutbox(SqliteDatabase database, int capacity, TimeProvider clock, ILogger<DurableResultOutbox> logger)
    : IResultOutbox, IAsyncDisposable
{
    private const int MaxGroup = 256;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _writer = Task.CompletedTask;
    private Task _cleaner = Task.CompletedTask;
    private long _acknowledged;
    private long _lastSequence;
    private long _pending;
    private long _lost;
    private long _deletedUpTo;
    private Lazy<Task>? _stopping;

    public event Action? Appended;

    public long PendingCount => Interlocked.Read(ref _pending);

    public long LostCount => Interlocked.Read(ref _lost);

    public ulong AcknowledgedSequence => (ulong)Interlocked.Read(ref _acknowledged);

    public ulong LastSequence => (ulong)Interlocked.Read(ref _lastSequence);

    /// <summary>Reads the state left by the last run and starts the writer; call once after migration.</summary>
    public async Task StartAsync(string legacySequenceFile, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            _lastSequence = await connection.ExecuteScalarAsync<long>("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'results'), 0)").ConfigureAwait(false);
            _pending = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM results").ConfigureAwait(false);
            var oldest = await connection.ExecuteScalarAsync<long?>("SELECT MIN(sequence) FROM results").ConfigureAwait(false);
            _acknowledged = _deletedUpTo = (oldest ?? _lastSequence + 1) - 1;
        }

        // Nodes from before the durable outbox numbered results from a file; never go back below what it handed out.
        if (File.Exists(legacySequenceFile)
            && long.TryParse(await File.ReadAllTextAsync(legacySequenceFile, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out var legacy)
            && legacy > _lastSequence)
        {
            await MoveSequenceBeyondAsync((ulong)legacy, cancellationToken).ConfigureAwait(false);
        }

        _writer = Task.Run(() => WriteLoopAsync(_stop.Token), CancellationToken.None);
        _cleaner = Task.Run(() => CleanLoopAsync(_stop.Token), CancellationToken.None);
    }

    public async ValueTask<ulong> AppendAsync(Result result, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(result);
        await _appends.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Done.Task.ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Result>> ReadAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken)
    {
        var after = Math.Max((long)afterSequence, Interlocked.Read(ref _acknowledged));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Sequence, byte[] Payload)>(
            "SELECT sequence, payload FROM results WHERE sequence > @After ORDER BY sequence LIMIT @Max",
            new { After = after, Max = max }).ConfigureAwait(false);
        return rows.Select(r => ResultRows.Read(r.Sequence, r.Payload)).ToList();
    }

    public void Acknowledge(ulong sequence)
    {
        long current;
        while ((current = Interlocked.Read(ref _acknowledged)) < (long)sequence)
        {
            if (Interlocked.CompareExchange(ref _acknowledged, (long)sequence, current) == current)
            {
                return;
            }
        }
    }

    public async Task RebaseAsync(ulong serverLastSequence, CancellationToken cancellationToken)
    {
        // Normal: the server holds at most what this node handed out. More means a reset state or a shared id.
        if (serverLastSequence <= (ulong)Interlocked.Read(ref _lastSequence))
        {
            return;
        }

        LogRebased(logger, serverLastSequence, LastSequence);
        await MoveSequenceBeyondAsync(serverLastSequence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by others that inserted results in their own transactions (the clip queue).</summary>
    public void OnAppendedElsewhere(ulong lastSequence, int count)
    {
        Raise(ref _lastSequence, (long)lastSequence);
        Interlocked.Add(ref _pending, count);
        Appended?.Invoke();
    }

    /// <summary>
    /// Stops taking appends, commits those already queued (a plugin waiting on one is told "accepted", not
    /// "cancelled"), then stops the loops. Idempotent: the host stops the outbox, then the container disposes it;
    /// a second run used to cancel a disposed token source and crash every graceful stop.
    /// </summary>
    public Task StopAsync()
    {
        var stopping = new Lazy<Task>(StopCoreAsync);
        return (Interlocked.CompareExchange(ref _stopping, stopping, null) ?? stopping).Value;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopCoreAsync()
    {
        _appends.Writer.TryComplete();
        try
        {
            // The writer ends by itself once the completed channel is empty; a stuck disk must not hold the stop.
            await _writer.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(logger, DrainTimeout.TotalSeconds);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_writer, _cleaner).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        var group = new List<PendingAppend>(MaxGroup);
        try
        {
            while (await _appends.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                group.Clear();
                while (group.Count < MaxGroup && _appends.Reader.TryRead(out var item))
                {
                    group.Add(item);
                }

                try
                {
                    var lost = await database.WriteAsync((connection, transaction) => InsertGroupAsync(connection, transaction, group), stop).ConfigureAwait(false);
                    Interlocked.Add(ref _pending, group.Count - lost);
                    foreach (var item in group)
                    {
                        item.Done.TrySetResult(item.Result.Sequence);
                    }

                    Appended?.Invoke();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogAppendFailed(logger, group.Count, ex);
                    foreach (var item in group)
                    {
                        item.Done.TrySetException(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        while (_appends.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled(stop);
        }
    }

    /// <summary>Inserts a group; past capacity, drops the oldest pending rows and records the loss in the same commit.</summary>
    private async Task<int> InsertGroupAsync(Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction transaction, List<PendingAppend> group)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var item in group)
        {
            Raise(ref _lastSequence, (long)await ResultRows.InsertAsync(connection, transaction, item.Result, now).ConfigureAwait(false));
        }

        var overflow = Interlocked.Read(ref _pending) + group.Count - capacity;
        if (overflow <= 0)
        {
            return 0;
        }

        var dropped = (await connection.QueryAsync<long>(
            "DELETE FROM results WHERE sequence IN (SELECT sequence FROM results WHERE sequence > @Acked ORDER BY sequence LIMIT @Count) RETURNING sequence",
            new { Acked = Interlocked.Read(ref _acknowledged), Count = overflow + 1 },
            transaction).ConfigureAwait(false)).Order().ToList();
        Interlocked.Add(ref _lost, dropped.Count);
        LogDropped(logger, dropped.Count, dropped[0], dropped[^1], capacity, LostCount);
        var report = LossReport.Results(dropped.Count, (ulong)dropped[0], (ulong)dropped[^1], capacity, clock.GetUtcNow());
        Raise(ref _lastSequence, (long)await ResultRows.InsertAsync(connection, transaction, report, now).ConfigureAwait(false));
        return dropped.Count - 1;
    }

    private async Task CleanLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var acked = Interlocked.Read(ref _acknowledged);
                if (acked <= _deletedUpTo)
                {
                    continue;
                }

                var deleted = await database.WriteAsync(
                    (connection, transaction) => connection.ExecuteAsync("DELETE FROM results WHERE sequence <= @Acked", new { Acked = acked }, transaction),
                    stop).ConfigureAwait(false);
                _deletedUpTo = acked;
                Interlocked.Add(ref _pending, -deleted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogCleanFailed(logger, ex);
        }
    }

    /// <summary>Renumbers every pending result above <paramref name="sequence"/> and continues from there.</summary>
    private Task MoveSequenceBeyondAsync(ulong sequence, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var pending = (await connection.QueryAsync<(long Sequence, byte[] Payload)>("SELECT sequence, payload FROM results ORDER BY sequence", transaction: transaction).ConfigureAwait(false)).ToList();
            await connection.ExecuteAsync("DELETE FROM results", transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM sqlite_sequence WHERE name = 'results'", transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("INSERT INTO sqlite_sequence (name, seq) VALUES ('results', @Seq)", new { Seq = (long)sequence }, transaction).ConfigureAwait(false);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (_, payload) in pending)
            {
                await ResultRows.InsertAsync(connection, transaction, Result.Parser.ParseFrom(payload), now).ConfigureAwait(false);
            }

            Interlocked.Exchange(ref _lastSequence, (long)sequence + pending.Count);
            Interlocked.Exchange(ref _acknowledged, (long)sequence);
            _deletedUpTo = (long)sequence;
            return 0;
        }, cancellationToken);

    private static void Raise(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class PendingAppend(Result result)
    {
        public Result Result { get; } = result;

        public TaskCompletionSource<ulong> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Outbox full ({Capacity} results waiting for the server): dropped {Count} results ({First}..{Last}). {Lost} results lost since start; a loss report goes to the server.")]
    private static partial void LogDropped(ILogger logger, int count, long first, long last, int capacity, long lost);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "The server already holds results up to sequence {ServerLast}, beyond this node's last sequence {Last}: the node's state was reset or another node uses the same id. Renumbering pending results.")]
    private static partial void LogRebased(ILogger logger, ulong serverLast, ulong last);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Could not store {Count} result(s) in the outbox; the plugins were told.")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Could not delete acknowledged results from the outbox; they will be resent and dropped by the server.")]
    private static partial void LogCleanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "The outbox could not commit the results queued at stop within {Seconds} s; their plugins are told they were not accepted.")]
    private static partial void LogDrainTimedOut(ILogger logger, double seconds);
}
