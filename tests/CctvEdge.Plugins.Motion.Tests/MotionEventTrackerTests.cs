namespace CctvEdge.Plugins.Motion.Tests;

public sealed class MotionEventTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private static readonly FrameMotion Moving = new(2.0, (10, 10, 20, 20), false);
    private static readonly FrameMotion Still = new(0, null, false);

    [Fact]
    public void Update_SingleMotionFrame_NoEvent()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 2 });

        Assert.Empty(tracker.Update(T0, Moving, 320, 180));
        Assert.Empty(tracker.Update(T0.AddSeconds(0.2), Still, 320, 180));
    }

    [Fact]
    public void Update_MotionThenQuietBeyondGap_OpensAtFirstFrameAndClosesAtLastMotion()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 2, GapSeconds = 3 });

        tracker.Update(T0, Moving, 320, 180);
        var opened = Assert.Single(tracker.Update(T0.AddSeconds(0.2), Moving, 320, 180));
        tracker.Update(T0.AddSeconds(0.4), Moving, 320, 180);
        Assert.Empty(tracker.Update(T0.AddSeconds(2), Still, 320, 180));
        var closed = Assert.Single(tracker.Update(T0.AddSeconds(3.5), Still, 320, 180));

        Assert.Null(opened.End);
        Assert.Equal(opened.Id, closed.Id);
        Assert.Equal(T0, closed.Start);
        Assert.Equal(T0.AddSeconds(0.4), closed.End);
        Assert.Equal(3, closed.MotionFrames);
        Assert.NotNull(closed.Box);
        Assert.Equal(10f / 320, closed.Box!.Value.X, 3);
    }

    [Fact]
    public void Update_TwoBurstsWithinGap_OneEvent()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1, GapSeconds = 3 });
        var changes = new List<MotionEvent>();

        changes.AddRange(tracker.Update(T0, Moving, 320, 180));
        changes.AddRange(tracker.Update(T0.AddSeconds(1), Still, 320, 180));
        changes.AddRange(tracker.Update(T0.AddSeconds(2.5), Moving, 320, 180));
        changes.AddRange(tracker.Update(T0.AddSeconds(6), Still, 320, 180));

        Assert.Equal(2, changes.Count);
        Assert.Single(changes.Select(c => c.Id).Distinct());
        Assert.Equal(T0.AddSeconds(2.5), changes[^1].End);
    }

    [Fact]
    public void Update_MotionLongerThanMaximum_SplitsIntoEvents()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1, GapSeconds = 1, MaxEventSeconds = 5 });
        var closed = new List<MotionEvent>();

        for (var i = 0; i <= 60; i++)
        {
            closed.AddRange(tracker.Update(T0.AddSeconds(i * 0.2), Moving, 320, 180).Where(e => e.End is not null));
        }

        Assert.Equal(2, closed.Count);
        Assert.All(closed, e => Assert.True(e.End!.Value - e.Start <= TimeSpan.FromSeconds(5)));
        Assert.NotEqual(closed[0].Id, closed[1].Id);
    }

    [Fact]
    public void Update_GlobalChange_NeitherOpensNorExtends()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1 });

        Assert.Empty(tracker.Update(T0, new FrameMotion(90, null, true), 320, 180));
        Assert.Empty(tracker.Update(T0.AddSeconds(0.2), new FrameMotion(85, null, true), 320, 180));
    }
}
