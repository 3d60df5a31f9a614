using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// The lifecycle both hosts give a plugin instance, so a node plugin and a server processor fail, hang, drain and stop
/// the same way: a start on the thread pool with a time limit; bounded queues whose items are handed to the plugin
/// one at a time through a <see cref="PluginCallGuard"/>; a plugin that keeps throwing or never returns switched off
/// and reported; on dispose, queued work drained for a while, then cancelled, then the plugin disposed (unless a call
/// is still stuck inside it). What a host adds is what it feeds the plugin and what it tells the world.
/// </summary>
/// <typeparam name="TPlugin">The plugin contract (ICameraPlugin, IResultProcessor).</typeparam>
public sealed partial class PluginRunner<TPlugin> : IAsyncDisposable
    where TPlugin : class, IAsyncDisposable
{
    private readonly string _restartHint;
    private readonly LifecycleLimits _lifecycle;
    private readonly PluginCallGuard _guard;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _draining = new();
    private readonly List<IDrainable> _queues = [];
    private long _processed;
    private long _dropped;

    /// <param name="subject">Names the instance in logs and errors, e.g. "Plugin motion on camera yard".</param>
    /// <param name="restartHint">What reclaims a hung call's thread, in the words of this host.</param>
    /// <param name="metricTags">Names the instance in <see cref="PluginMetrics"/>: its plugin id and, on a node, its camera.</param>
    public PluginRunner(string subject, string restartHint, CallLimits calls, ILogger logger, LifecycleLimits? lifecycle = null, KeyValuePair<string, object?>[]? metricTags = null)
    {
        Subject = subject;
        _restartHint = restartHint;
        Calls = calls;
        _logger = logger;
        _lifecycle = lifecycle ?? LifecycleLimits.Default;
        _guard = new PluginCallGuard(calls) { MetricTags = metricTags ?? [] };
        _guard.Hung += OnHung;
        _guard.OverBudget += OnOverBudget;
    }

    /// <summary>Raised once the instance is switched off (hung, or too many failures in a row): stop feeding it.</summary>
    public event Action? SwitchedOff;

    public string Subject { get; }

    public CallLimits Calls { get; }

    public InstanceState State { get; private set; } = InstanceState.Starting;

    public string Error { get; private set; } = "";

    /// <summary>A problem that did not stop the instance: the latest exception, refused settings.</summary>
    public string Warning { get; set; } = "";

    /// <summary>The started plugin; null before a successful start and after dispose.</summary>
    public TPlugin? Plugin { get; private set; }

    /// <summary>Cancelled when the instance is stopping or hung; what the plugin's calls are given.</summary>
    public CancellationToken Stopping => _stop.Token;

    public bool IsHung => _guard.IsHung;

    /// <summary>The latest exception a guarded call threw.</summary>
    public Exception? LastError => _guard.LastError;

    public (long Processed, long Dropped, long Errors, long OverBudget) Counters
    {
        get
        {
            var (errors, overBudget) = _guard.Counters;
            return (Interlocked.Read(ref _processed), Interlocked.Read(ref _dropped), errors, overBudget);
        }
    }

    /// <summary>
    /// Runs <paramref name="createAndStart"/> (create the plugin, call its StartAsync) on the thread pool within the
    /// start limit. False, with the instance failed and the reason in <see cref="Error"/>, when that does not work;
    /// <paramref name="explain"/> may word an exception the host knows (invalid settings) and return null for the rest.
    /// </summary>
    public async Task<bool> StartAsync(Func<CancellationToken, ValueTask<TPlugin>> createAndStart, CancellationToken cancellationToken, Func<Exception, string?>? explain = null)
    {
        try
        {
            Plugin = await Task.Run(async () => await createAndStart(cancellationToken).ConfigureAwait(false), cancellationToken)
                .WaitAsync(_lifecycle.StartTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            // The start may still be running inside the plugin; it is never disposed under it, as with a hung call.
            Fail($"StartAsync did not finish within {_lifecycle.StartTimeout.TotalSeconds}s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(explain?.Invoke(ex) ?? $"failed to start: {ex.GetType().Name}: {ex.Message}");
        }

        return false;
    }

    /// <summary>Marks the started instance running: its queues take items from now on.</summary>
    public void Run() => State = InstanceState.Running;

    /// <summary>Turned off by configuration: not an error.</summary>
    public void Disable() => State = InstanceState.Disabled;

    /// <summary>Marks the instance failed and logs why.</summary>
    public void Fail(string error)
    {
        State = InstanceState.Failed;
        Error = error;
        LogFailed(_logger, Subject, error);
    }

    /// <summary>
    /// A bounded queue whose items <paramref name="handle"/> passes to the plugin, one call at a time, while the instance
    /// runs. Offers never wait: when the plugin falls behind, items are dropped and counted. <paramref name="release"/>
    /// is called for every item once it is handled, dropped or left over.
    /// </summary>
    public PluginQueue<T> AddQueue<T>(int capacity, string callName, Func<TPlugin, T, CancellationToken, ValueTask> handle, bool countProcessed = true, Action<T>? release = null)
    {
        var queue = new PluginQueue<T>(capacity, () => State == InstanceState.Running, CountDropped, release);
        _queues.Add(queue);
        AddLoop(stop => queue.ConsumeAsync(item => HandleAsync(callName, handle, item, countProcessed, stop), stop));
        return queue;
    }

    /// <summary>
    /// Cancelled when the drain begins. A loop of the host's that waits for its next turn (a timer) waits on this: it
    /// has nothing queued to finish, and waiting on the stop token alone held every stop for the whole drain timeout
    /// (5 s for each recording plugin, one camera after another).
    /// </summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>
    /// Runs a loop of the host's (a timer, say) as part of the instance: waited for while the queues drain, cancelled
    /// with them. A loop that waits between turns should wait on <see cref="Draining"/>; ending on it is a normal end.
    /// </summary>
    public void AddLoop(Func<CancellationToken, Task> loop)
    {
        var stop = _stop.Token;
        _loops.Add(Task.Run(
            async () =>
            {
                try
                {
                    await loop(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested || _draining.IsCancellationRequested)
                {
                }
            },
            CancellationToken.None));
    }

    /// <summary>
    /// One call into the plugin through the guard: a failure is counted, kept as the warning and logged (the first and
    /// then every hundredth, enough to diagnose without flooding the log); too many in a row switch the instance off.
    /// </summary>
    public async ValueTask<CallOutcome> CallAsync(string name, Func<ValueTask> call, CancellationToken stop)
    {
        var outcome = await _guard.RunAsync(name, call, stop).ConfigureAwait(false);
        if (outcome is CallOutcome.Failed or CallOutcome.Broken && _guard.LastError is { } ex)
        {
            var errors = _guard.Counters.Errors;
            Warning = $"{name} threw {ex.GetType().Name}: {ex.Message} ({errors} errors so far)";
            if (errors == 1 || errors % 100 == 0)
            {
                LogThrew(_logger, Subject, errors, ex);
            }
        }

        if (outcome == CallOutcome.Broken && State == InstanceState.Running)
        {
            var last = _guard.LastError;
            SwitchOff($"switched off after {Calls.FailuresBeforeBreaking} failures in a row; last: {last?.GetType().Name}: {last?.Message}");
        }

        return outcome;
    }

    /// <summary>
    /// A call the host waits for (new settings): between the queues' calls, on the thread pool, within the hang limit.
    /// Null when it did not return in time; the watchdog then reports it hung and switches the instance off.
    /// </summary>
    public async Task<CallOutcome?> CallAndWaitAsync(string name, Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        var stop = _stop.Token;
        try
        {
            return await Task.Run(() => _guard.RunAsync(name, () => call(stop), stop).AsTask(), cancellationToken)
                .WaitAsync(Calls.HangAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Stops taking items, lets the plugin finish what is queued (drain), then disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            queue.Complete();
        }

        await _draining.CancelAsync().ConfigureAwait(false);
        var drained = await WaitLoopsAsync(_lifecycle.DrainTimeout).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        drained = drained || await WaitLoopsAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        if (drained)
        {
            // Items still waiting hold resources (pooled frames); a loop that never ended may still be reading them.
            foreach (var queue in _queues)
            {
                queue.ReleaseLeftovers();
            }
        }

        // A hung plugin is still inside a call; disposing it now would overlap that call.
        if (Plugin is { } plugin && !_guard.IsHung)
        {
            try
            {
                await Task.Run(() => plugin.DisposeAsync().AsTask()).WaitAsync(_lifecycle.DrainTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogDisposeFailed(_logger, Subject, ex.Message);
            }
        }

        Plugin = null;
        _guard.Dispose();
        _stop.Dispose();
        _draining.Dispose();
    }

    private void CountDropped() => Interlocked.Increment(ref _dropped);

    private async ValueTask HandleAsync<T>(string callName, Func<TPlugin, T, CancellationToken, ValueTask> handle, T item, bool countProcessed, CancellationToken stop)
    {
        if (State != InstanceState.Running || Plugin is not { } plugin)
        {
            return;
        }

        await CallAsync(callName, () => handle(plugin, item, stop), stop).ConfigureAwait(false);
        if (countProcessed)
        {
            Interlocked.Increment(ref _processed);
        }
    }

    private async Task<bool> WaitLoopsAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_loops).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void SwitchOff(string error)
    {
        Fail(error);
        SwitchedOff?.Invoke();
    }

    private void OnHung(string call, TimeSpan running)
    {
        SwitchOff($"hung: {call} has not returned after {running.TotalSeconds:0}s; switched off. .NET cannot stop a stuck thread: {_restartHint}");
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watchdog fired while the instance was being disposed: it is stopping anyway.
        }
    }

    private void OnOverBudget(string call, TimeSpan took)
    {
        var count = _guard.Counters.OverBudget;
        // The first and then every hundredth: enough to notice a slow plugin without flooding the log.
        if (count == 1 || count % 100 == 0)
        {
            LogOverBudget(_logger, Subject, call, took.TotalMilliseconds, Calls.Budget.TotalMilliseconds, count);
        }
    }

    // Event ids 900-909 belong to plugin hosting; both the node and the server log them, so no host may reuse them.
    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "{Subject} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string subject, string error);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "{Subject} threw ({Errors} errors so far).")]
    private static partial void LogThrew(ILogger logger, string subject, long errors, Exception exception);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "{Subject}: {Call} took {Milliseconds:0} ms, over the {Budget:0} ms budget ({Count} slow calls so far).")]
    private static partial void LogOverBudget(ILogger logger, string subject, string call, double milliseconds, double budget, long count);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "{Subject} failed to stop cleanly: {Error}")]
    private static partial void LogDisposeFailed(ILogger logger, string subject, string error);
}
