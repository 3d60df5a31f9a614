using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Hosting;

/// <summary>
/// Whether this server is the leader: of several replicas over one database, the one that runs the periodic jobs
/// (retention, notifications and their deliveries, reports, watchers, timelapse, MQTT, Telegram buttons), so none of
/// them runs twice. <see cref="LeadershipService"/> takes and keeps it; on SQLite a server always leads. A term of
/// leadership has a token, cancelled when the term ends, so work begun as leader stops when leadership is lost.
/// </summary>
internal sealed partial class Leadership(ILogger<Leadership> logger)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource<CancellationToken> _gained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _term;

    /// <summary>True while this server leads.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_lock)
            {
                return _term is not null;
            }
        }
    }

    /// <summary>Leadership gained (true) or lost (false).</summary>
    public event Action<bool>? Changed;

    /// <summary>Returns once this server leads (at once if it does): the token of the term, cancelled when it ends.</summary>
    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _gained.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="lead"/> during each term of leadership, with a token cancelled when the term ends or the
    /// server stops; after a lost term it waits for the next. Ends when the server stops or <paramref name="lead"/>
    /// returns by itself as leader.
    /// </summary>
    public async Task RunWhileLeadingAsync(Func<CancellationToken, Task> lead, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var term = await WaitForLeadershipAsync(stoppingToken).ConfigureAwait(false);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term);
            try
            {
                await lead(leading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // Leadership lost mid-work: wait for the next term.
            }

            if (!term.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>This server leads from now on, until <see cref="Lose"/>.</summary>
    internal void Gain(string location)
    {
        lock (_lock)
        {
            if (_term is not null)
            {
                return;
            }

            _term = new CancellationTokenSource();
            _gained.TrySetResult(_term.Token);
        }

        LogGained(logger, location);
        Changed?.Invoke(true);
    }

    /// <summary>This server no longer leads: the term's work is cancelled, and the next waits for a new term.</summary>
    internal void Lose(string reason)
    {
        CancellationTokenSource term;
        lock (_lock)
        {
            if (_term is null)
            {
                return;
            }

            term = _term;
            _term = null;
            _gained = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        LogLost(logger, reason);
        term.Cancel();
        term.Dispose();
        Changed?.Invoke(false);
    }

    [LoggerMessage(EventId = 232, Level = LogLevel.Information, Message = "This server now leads: it runs the periodic jobs ({Location}).")]
    private static partial void LogGained(ILogger logger, string location);

    [LoggerMessage(EventId = 233, Level = LogLevel.Warning, Message = "This server no longer leads ({Reason}); its periodic jobs stop until it leads again.")]
    private static partial void LogLost(ILogger logger, string reason);
}

/// <summary>
/// Takes the leader's lock from the database (<see cref="ServerDatabase.TryLeadAsync"/>) and keeps checking it: a
/// follower tries again every <see cref="RetryInterval"/>, the leader checks its lock every <see cref="CheckInterval"/>
/// and stops leading as soon as the lock is gone (its connection broke). Stopping the server frees the lock, so
/// another replica takes over at its next try. Between a lock broken on the database's side (its session terminated)
/// and the old leader's next check, two servers may both think they lead, for at most one check interval and one
/// command timeout; a link that is merely slow keeps the lock, and the others waiting, rather than the reverse.
/// </summary>
internal sealed partial class LeadershipService(ServerDatabase database, Leadership leadership, TimeProvider clock, ILogger<LeadershipService> logger) : BackgroundService
{
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LeaderLock? held = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (held is null)
                    {
                        held = await database.TryLeadAsync(stoppingToken).ConfigureAwait(false);
                        if (held is not null)
                        {
                            leadership.Gain(database.Location);
                        }
                    }
                    else if (!await held.HeldAsync(stoppingToken).ConfigureAwait(false))
                    {
                        // Tried again after the follower's interval like any other replica: one that is up by then takes over.
                        leadership.Lose("its lock on the database was lost");
                        await held.DisposeAsync().ConfigureAwait(false);
                        held = null;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogTryFailed(logger, database.Location, ex);
                }

                await Task.Delay(held is null ? RetryInterval : CheckInterval, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            if (held is not null)
            {
                leadership.Lose("the server is stopping");
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 234, Level = LogLevel.Warning, Message = "Could not take or check the leader's lock on {Location}; trying again.")]
    private static partial void LogTryFailed(ILogger logger, string location, Exception exception);
}
