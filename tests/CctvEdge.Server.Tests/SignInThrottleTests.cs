using CctvEdge.Server.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Failed_FifthFailureInARow_LocksThirtySecondsThenDoubles()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            Assert.Null(throttle.Failed("admin"));
        }

        Assert.Null(throttle.LockedFor("admin"));
        Assert.Equal(TimeSpan.FromSeconds(30), throttle.Failed("admin"));
        Assert.Equal(TimeSpan.FromSeconds(30), throttle.LockedFor("ADMIN"));

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(throttle.LockedFor("admin"));
        Assert.Equal(TimeSpan.FromSeconds(60), throttle.Failed("admin"));
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TimeSpan.FromSeconds(120), throttle.Failed("admin"));
    }

    [Fact]
    public void Failed_ManyTimes_LockNeverLongerThanFifteenMinutes()
    {
        var throttle = new SignInThrottle(_clock);
        TimeSpan? locked = null;
        for (var i = 0; i < 40; i++)
        {
            locked = throttle.Failed("admin");
            _clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(TimeSpan.FromMinutes(15), locked);
    }

    [Fact]
    public void Succeeded_AfterFailures_CountStartsAgain()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            throttle.Failed("admin");
        }

        throttle.Succeeded("admin");

        Assert.Null(throttle.Failed("admin"));
        Assert.Null(throttle.LockedFor("admin"));
    }

    [Fact]
    public void Failed_OneName_OtherNamesUnaffected()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            throttle.Failed("admin");
        }

        Assert.NotNull(throttle.LockedFor("admin"));
        Assert.Null(throttle.LockedFor("viewer"));
    }
}
