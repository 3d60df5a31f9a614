namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// Being the one server of several over a database that runs the periodic jobs (retention, notifications, reports):
/// held until disposed or until what holds it breaks, which <see cref="HeldAsync"/> tells.
/// </summary>
internal abstract class LeaderLock : IAsyncDisposable
{
    /// <summary>The lock of an engine with one server per database (SQLite): always held, nothing to release.</summary>
    public static LeaderLock Sole { get; } = new SoleLock();

    /// <summary>False once the lock is gone (its connection broke): the holder must stop leading and try again.</summary>
    public abstract Task<bool> HeldAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SoleLock : LeaderLock
    {
        public override Task<bool> HeldAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
