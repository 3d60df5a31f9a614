namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// A wake-up that coalesces: any number of <see cref="Set"/> calls before a wait wake it once. Producers change
/// state first and set the signal second, so a waiter that wakes always sees the change.
/// </summary>
public sealed class AsyncSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits for a <see cref="Set"/> or the timeout; true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signalled = await _semaphore.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (signalled)
        {
            Volatile.Write(ref _set, 0);
        }

        return signalled;
    }
}
