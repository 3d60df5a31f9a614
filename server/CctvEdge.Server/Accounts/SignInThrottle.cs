using System.Collections.Concurrent;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// Slows password guessing: after <see cref="FreeFailures"/> failed sign-ins in a row for one user name, that name is
/// locked for 30 s, doubling with each further failure up to 15 minutes; while locked, even the right password is
/// refused without being checked. A success clears the count. Names that do not exist are counted the same way, so
/// the lock does not tell which names are real. The counts live in memory: a restart clears them.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeFailures = 5;
    private const int MaxTracked = 10_000;
    private static readonly TimeSpan FirstLock = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, Failures> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long <paramref name="name"/> is still locked, or null when it may try.</summary>
    public TimeSpan? LockedFor(string name) =>
        _byName.TryGetValue(name, out var failures) ? Remaining(failures, clock.GetUtcNow()) : null;

    public void Succeeded(string name) => _byName.TryRemove(name, out _);

    /// <summary>Counts a failure; returns how long the name is now locked, or null.</summary>
    public TimeSpan? Failed(string name)
    {
        var now = clock.GetUtcNow();
        if (_byName.Count >= MaxTracked)
        {
            Forget(now);
        }

        var failures = _byName.AddOrUpdate(name, _ => Next(new Failures(0, now, now), now), (_, old) => Next(old, now));
        return Remaining(failures, now);
    }

    private static TimeSpan? Remaining(Failures failures, DateTimeOffset now) =>
        failures.LockedUntil > now ? failures.LockedUntil - now : null;

    private static Failures Next(Failures old, DateTimeOffset now)
    {
        var count = old.Count + 1;
        if (count < FreeFailures)
        {
            return new Failures(count, now, now);
        }

        var doublings = Math.Min(count - FreeFailures, 10);
        var lockFor = TimeSpan.FromTicks(Math.Min(FirstLock.Ticks << doublings, LongestLock.Ticks));
        return new Failures(count, now, now + lockFor);
    }

    /// <summary>Bounds the memory a spray of made-up names can take: drops names idle for longer than the longest lock.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (name, failures) in _byName)
        {
            if (failures.LockedUntil <= now && now - failures.Last > LongestLock)
            {
                _byName.TryRemove(name, out _);
            }
        }
    }

    private sealed record Failures(int Count, DateTimeOffset Last, DateTimeOffset LockedUntil);
}
