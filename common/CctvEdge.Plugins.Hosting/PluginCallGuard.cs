using System.Diagnostics;

namespace CctvEdge.Plugins.Hosting;

/// <summary>How one guarded call ended.</summary>
public enum CallOutcome
{
    Completed,

    /// <summary>The plugin threw; the exception is in <see cref="PluginCallGuard.LastError"/>.</summary>
    Failed,

    /// <summary>The plugin threw once too often in a row: switch it off.</summary>
    Broken,

    /// <summary>The host is stopping the plugin.</summary>
    Cancelled,
}

/// <summary>Limits for the calls into one plugin.</summary>
/// <param name="Budget">A call longer than this is counted and reported, not stopped.</param>
/// <param name="HangAfter">A call still running after this is reported as hung (see <see cref="PluginCallGuard.Hung"/>).</param>
/// <param name="FailuresBeforeBreaking">Consecutive failures that switch the plugin off.</param>
public sealed record CallLimits(TimeSpan Budget, TimeSpan HangAfter, int FailuresBeforeBreaking = 50);

/// <summary>
/// Runs the calls into one plugin: one at a time, timed against a budget, exceptions caught and counted, a circuit
/// breaker after too many failures in a row, and a watchdog that reports a call that never returns. .NET cannot stop a
/// thread that is stuck inside a plugin (there is no Thread.Abort), so a hung call is reported and its owner stops
/// feeding the plugin; the thread stays blocked until the plugin returns or the process restarts.
/// </summary>
public sealed class PluginCallGuard : IDisposable
{
    private readonly CallLimits _limits;
    private readonly SemaphoreSlim _calls = new(1, 1);
    private readonly Timer _watchdog;
    private long _callStarted;
    private string _callName = "";
    private int _hung;
    private int _consecutiveFailures;
    private long _errors;
    private long _overBudget;

    /// <summary>Tags of this instance's <see cref="PluginMetrics"/> (plugin, camera); the call's name is added per call.</summary>
    public KeyValuePair<string, object?>[] MetricTags { get; init; } = [];

    public PluginCallGuard(CallLimits limits)
    {
        _limits = limits;
        var period = TimeSpan.FromTicks(Math.Clamp(limits.HangAfter.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _watchdog = new Timer(_ => CheckHung(), null, period, period);
    }

    /// <summary>Raised once, from the watchdog, with the name of the call that has not returned within the hang limit.</summary>
    public event Action<string, TimeSpan>? Hung;

    /// <summary>Raised after a call that took longer than the budget, with its name and duration.</summary>
    public event Action<string, TimeSpan>? OverBudget;

    public bool IsHung => Volatile.Read(ref _hung) == 1;

    public Exception? LastError { get; private set; }

    public (long Errors, long OverBudget) Counters => (Interlocked.Read(ref _errors), Interlocked.Read(ref _overBudget));

    /// <summary>Runs one call; never throws what the plugin throws.</summary>
    public async ValueTask<CallOutcome> RunAsync(string name, Func<ValueTask> call, CancellationToken stop)
    {
        try
        {
            await _calls.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return CallOutcome.Cancelled;
        }

        var started = Stopwatch.GetTimestamp();
        _callName = name;
        Volatile.Write(ref _callStarted, started);
        try
        {
            await call().ConfigureAwait(false);
            _consecutiveFailures = 0;
            return CallOutcome.Completed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return CallOutcome.Cancelled;
        }
        catch (Exception ex)
        {
            LastError = ex;
            Interlocked.Increment(ref _errors);
            return ++_consecutiveFailures >= _limits.FailuresBeforeBreaking ? CallOutcome.Broken : CallOutcome.Failed;
        }
        finally
        {
            Volatile.Write(ref _callStarted, 0);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (PluginMetrics.CallDuration.Enabled)
            {
                // A TagList keeps up to eight tags inline: no allocation per frame.
                var tags = new TagList(MetricTags) { { "call", name } };
                PluginMetrics.CallDuration.Record(elapsed.TotalSeconds, tags);
            }

            if (elapsed > _limits.Budget)
            {
                Interlocked.Increment(ref _overBudget);
                OverBudget?.Invoke(name, elapsed);
            }

            _calls.Release();
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        // The semaphore is left to the GC: a hung call may still release it later.
    }

    private void CheckHung()
    {
        var started = Volatile.Read(ref _callStarted);
        if (started == 0 || IsHung)
        {
            return;
        }

        var running = Stopwatch.GetElapsedTime(started);
        if (running > _limits.HangAfter && Interlocked.Exchange(ref _hung, 1) == 0)
        {
            Hung?.Invoke(_callName, running);
        }
    }
}
