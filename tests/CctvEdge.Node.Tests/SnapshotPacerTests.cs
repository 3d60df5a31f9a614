using CctvEdge.Node.Uplink;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>Which snapshots go up: one every SnapshotSeconds, the latest on request, every new one while a grid follows.</summary>
public sealed class SnapshotPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TakeIfDue_NewSnapshotEverySecond_SentOnlyEveryInterval()
    {
        var pacer = new SnapshotPacer(_clock);
        var sent = new List<int>();

        for (var second = 0; second < 12; second++)
        {
            if (pacer.TakeIfDue("yard", second + 1, Interval))
            {
                sent.Add(second);
            }

            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([0, 5, 10], sent);
    }

    [Fact]
    public void TakeIfDue_SameVersion_NotSentTwiceUnlessRequested()
    {
        var pacer = new SnapshotPacer(_clock);
        Assert.True(pacer.TakeIfDue("yard", 1, Interval));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(pacer.TakeIfDue("yard", 1, Interval));
        pacer.Request("yard", 0);
        Assert.True(pacer.TakeIfDue("yard", 1, Interval));
        Assert.False(pacer.TakeIfDue("yard", 1, Interval));
    }

    [Fact]
    public void TakeIfDue_Followed_EveryNewOneUntilTheFollowLapses()
    {
        var pacer = new SnapshotPacer(_clock);
        pacer.Request("yard", 10);
        var sent = new List<int>();

        for (var second = 0; second < 20; second++)
        {
            if (pacer.TakeIfDue("yard", second + 1, Interval))
            {
                sent.Add(second);
            }

            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Every second while followed (0-9), then back to every five seconds from the last one sent.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 19], sent);
        Assert.False(pacer.IsFollowed("yard"));
        Assert.False(pacer.IsFollowed("gate"));
    }

    [Fact]
    public void Request_FollowLongerThanTheMaximum_Capped()
    {
        var pacer = new SnapshotPacer(_clock);
        pacer.Request("yard", uint.MaxValue);

        _clock.Advance(SnapshotPacer.MaxFollow - TimeSpan.FromSeconds(1));
        Assert.True(pacer.IsFollowed("yard"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(pacer.IsFollowed("yard"));
    }
}
