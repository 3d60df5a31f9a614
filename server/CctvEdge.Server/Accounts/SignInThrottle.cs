using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// Slows password guessing: after <see cref="FreeFailures"/> failed sign-ins in a row for one user name from one
/// client address, that pair is locked for 30 s, doubling with each further failure up to 15 minutes; while locked,
/// even the right password is refused without being checked. A success clears the pair's count. Names that do not
/// exist are counted the same way, so the lock does not tell which names are real. Keyed by address as well as name,
/// so someone guessing from one address does not lock the real user out from theirs; kept in the database
/// (<c>sign_in_failures</c>), so a restart does not reset it.
/// </summary>
internal sealed class SignInThrottle(ServerDatabase database, TimeProvider clock)
{
    public const int FreeFailures = 5;
    private static readonly TimeSpan FirstLock = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(15);
    private long _failures;

    /// <summary>How long <paramref name="name"/> is still locked for <paramref name="address"/>, or null when it may try.</summary>
    public async Task<TimeSpan?> LockedForAsync(string name, string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var until = await connection.ExecuteScalarAsync<long?>(
            "SELECT locked_until_ms FROM sign_in_failures WHERE name = @Name AND address = @Address", new { Name = name, Address = address }).ConfigureAwait(false);
        return Remaining(until ?? 0, clock.GetUtcNow());
    }

    public Task SucceededAsync(string name, string address, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM sign_in_failures WHERE name = @Name AND address = @Address", new { Name = name, Address = address }, transaction),
            cancellationToken);

    /// <summary>Counts a failure; returns how long the pair is now locked, or null.</summary>
    public async Task<TimeSpan?> FailedAsync(string name, string address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var locked = await database.WriteAsync(
            async (connection, transaction) =>
            {
                // Bounds what a spray of made-up names can store: now and then, pairs idle past the longest lock go.
                if (Interlocked.Increment(ref _failures) % 100 == 0)
                {
                    await connection.ExecuteAsync(
                        "DELETE FROM sign_in_failures WHERE locked_until_ms <= @Now AND last_ms < @Idle", new { Now = nowMs, Idle = nowMs - (long)LongestLock.TotalMilliseconds }, transaction).ConfigureAwait(false);
                }

                var count = 1 + await connection.ExecuteScalarAsync<int>(
                    "SELECT COALESCE(MAX(count), 0) FROM sign_in_failures WHERE name = @Name AND address = @Address", new { Name = name, Address = address }, transaction).ConfigureAwait(false);
                var until = LockedUntil(count, now).ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    """
                    INSERT INTO sign_in_failures (name, address, count, last_ms, locked_until_ms) VALUES (@Name, @Address, @Count, @Now, @Until)
                    ON CONFLICT (name, address) DO UPDATE SET count = excluded.count, last_ms = excluded.last_ms, locked_until_ms = excluded.locked_until_ms
                    """,
                    new { Name = name, Address = address, Count = count, Now = nowMs, Until = until },
                    transaction).ConfigureAwait(false);
                return until;
            },
            cancellationToken).ConfigureAwait(false);
        return Remaining(locked, now);
    }

    private static TimeSpan? Remaining(long lockedUntilMs, DateTimeOffset now) =>
        lockedUntilMs > now.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(lockedUntilMs) - now : null;

    /// <summary>The end of the lock after the <paramref name="count"/>th failure in a row: none before the free ones run out.</summary>
    private static DateTimeOffset LockedUntil(int count, DateTimeOffset now)
    {
        if (count < FreeFailures)
        {
            return now;
        }

        var doublings = Math.Min(count - FreeFailures, 10);
        return now + TimeSpan.FromTicks(Math.Min(FirstLock.Ticks << doublings, LongestLock.Ticks));
    }
}
