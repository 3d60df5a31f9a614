using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Events;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Events;

public sealed class MotionEventTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private static readonly BitLayout Layout = new(320, 180);
    private static readonly MotionBlob Blob = new(10, 10, 20, 20, 400, 0);
    private static readonly string[] ZoneNames = ["gate", "yard"];

    [Fact]
    public void Update_SingleMotionFrame_NoEvent()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 2 });

        Assert.Null(Moving(tracker, T0));
        Assert.Null(Still(tracker, T0.AddSeconds(0.2)));
    }

    [Fact]
    public void Update_MotionThenQuietBeyondGap_OpensAtFirstFrameAndClosesAtLastMotion()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 2, GapSeconds = 3 });

        Moving(tracker, T0);
        var opened = Moving(tracker, T0.AddSeconds(0.2));
        Moving(tracker, T0.AddSeconds(0.4));
        Assert.Null(Still(tracker, T0.AddSeconds(2)));
        var closed = Still(tracker, T0.AddSeconds(3.5));

        Assert.NotNull(opened);
        Assert.Null(opened.End);
        Assert.NotNull(closed);
        Assert.Equal(opened.Id, closed.Id);
        Assert.Equal(T0, closed.Start);
        Assert.Equal(T0.AddSeconds(0.4), closed.End);
        Assert.Equal(3, closed.MotionFrames);
        var box = Assert.Single(closed.Boxes);
        Assert.Equal(10f / 320, box.X, 3);
    }

    [Fact]
    public void Update_TwoBurstsWithinGap_OneEvent()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1, GapSeconds = 3 });

        var changes = new[] { Moving(tracker, T0), Still(tracker, T0.AddSeconds(1)), Moving(tracker, T0.AddSeconds(2.5)), Still(tracker, T0.AddSeconds(6)) }.OfType<MotionEvent>().ToList();

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
            if (Moving(tracker, T0.AddSeconds(i * 0.2)) is { End: not null } e)
            {
                closed.Add(e);
            }
        }

        Assert.Equal(2, closed.Count);
        Assert.All(closed, e => Assert.True(e.End!.Value - e.Start <= TimeSpan.FromSeconds(5)));
        Assert.NotEqual(closed[0].Id, closed[1].Id);
    }

    [Fact]
    public void Update_FramesWithoutMotion_NeitherOpenNorExtend()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1 });

        Assert.Null(Still(tracker, T0));
        Assert.Null(Still(tracker, T0.AddSeconds(0.2)));
    }

    [Fact]
    public void Update_MotionInTwoZonesAndPlaces_ListsBothZonesAndSeparateBoxes()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1, GapSeconds = 1 });
        MotionBlob[] gate = [new(0, 0, 20, 20, 400, 0b01)];
        MotionBlob[] yard = [new(200, 100, 30, 30, 900, 0b10), new(210, 110, 10, 10, 100, 0b10)];

        tracker.Update(T0, true, 1, gate, Layout, 0b01, ZoneNames);
        tracker.Update(T0.AddSeconds(0.2), true, 2, yard, Layout, 0b10, ZoneNames);
        var closed = tracker.Update(T0.AddSeconds(2), false, 0, [], Layout, 0, ZoneNames);

        Assert.NotNull(closed);
        Assert.Equal(["gate", "yard"], closed.Zones);
        Assert.Equal(2, closed.Boxes.Count);
        Assert.Equal(2, closed.Peak);
    }

    [Fact]
    public void Update_ManySeparateBlobs_KeepsAtMostMaxBoxesCoveringAll()
    {
        var tracker = new MotionEventTracker(new MotionSettings { MinFrames = 1 });
        var blobs = Enumerable.Range(0, 12).Select(i => new MotionBlob(i * 25, 0, 10, 10, 100, 0)).ToArray();

        var opened = tracker.Update(T0, true, 1, blobs.AsSpan(0, 8), Layout, 0, ZoneNames);
        tracker.Update(T0.AddSeconds(0.2), true, 1, blobs.AsSpan(4), Layout, 0, ZoneNames);
        var closed = tracker.Update(T0.AddSeconds(5), false, 0, [], Layout, 0, ZoneNames);

        Assert.NotNull(opened);
        Assert.NotNull(closed);
        Assert.InRange(closed.Boxes.Count, 1, MotionEventTracker.MaxBoxes);
        Assert.Equal(0, closed.Boxes.Min(b => b.X));
        Assert.Equal(((11 * 25) + 10) / 320f, closed.Boxes.Max(b => b.X + b.Width), 4);
    }

    private static MotionEvent? Moving(MotionEventTracker tracker, DateTimeOffset at) => tracker.Update(at, true, 2.0, [Blob], Layout, 0, ZoneNames);

    private static MotionEvent? Still(MotionEventTracker tracker, DateTimeOffset at) => tracker.Update(at, false, 0, [], Layout, 0, ZoneNames);
}
