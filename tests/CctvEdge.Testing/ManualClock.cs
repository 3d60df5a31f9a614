namespace CctvEdge.Testing;

/// <summary>A clock the test sets by hand (timers are not faked: code under test that waits uses real time).</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
