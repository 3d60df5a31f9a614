namespace CctvEdge.Web.Components.Shared;

/// <summary>
/// Turns a burst of triggers into one call <c>delay</c> after the first: pages reload once per burst of changes (a
/// batch of results, a heartbeat), and a steady stream of changes still reloads them every <c>delay</c>.
/// </summary>
internal sealed class Debouncer(TimeSpan delay, Func<Task> action) : IDisposable
{
    private readonly object _gate = new();
    private Timer? _timer;
    private bool _pending;
    private bool _disposed;

    public void Trigger()
    {
        lock (_gate)
        {
            if (_disposed || _pending)
            {
                return;
            }

            _pending = true;
            _timer ??= new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _pending = false;
            if (_disposed)
            {
                return;
            }
        }

        // A failing reload (a circuit going away mid-way) must not crash the timer thread.
        action().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
