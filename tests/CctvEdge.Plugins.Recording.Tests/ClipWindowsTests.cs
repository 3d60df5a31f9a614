namespace CctvEdge.Plugins.Recording.Tests;

public sealed class ClipWindowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private static readonly RecordingSettings Settings = new() { PreRollSeconds = 5, PostRollSeconds = 5, MaxClipSeconds = 60 };

    [Fact]
    public void OnTick_EventClosedAndPostRollPassed_OneClipWithPreAndPostRoll()
    {
        var windows = new ClipWindows(Settings);
        Assert.Empty(windows.OnEvent("a", T0, null, T0));
        Assert.Empty(windows.OnEvent("a", T0, T0.AddSeconds(8), T0.AddSeconds(8)));

        Assert.Empty(windows.OnTick(T0.AddSeconds(12)));
        var clip = Assert.Single(windows.OnTick(T0.AddSeconds(13)));

        Assert.Equal(new ClipWindow(T0.AddSeconds(-5), T0.AddSeconds(13), "a"), clip);
        Assert.False(windows.HasPending);
    }

    [Fact]
    public void OnTick_EventArrivesAlreadyClosedByTheNextRun_OneClipWithPreAndPostRollAtOnce()
    {
        // An event a crash left open reaches the recorder of the next run already closed, its post-roll long past.
        var windows = new ClipWindows(Settings);
        Assert.Empty(windows.OnEvent("a", T0, T0.AddSeconds(4), T0.AddMinutes(2)));

        var clip = Assert.Single(windows.OnTick(T0.AddMinutes(2).AddSeconds(1)));

        Assert.Equal(new ClipWindow(T0.AddSeconds(-5), T0.AddSeconds(9), "a"), clip);
    }

    [Fact]
    public void OnEvent_NextEventStartsWithinPadding_MergedIntoOneClip()
    {
        var windows = new ClipWindows(Settings);
        windows.OnEvent("a", T0, T0.AddSeconds(8), T0.AddSeconds(8));

        // Padded start 17 - 5 = 12 is before the pending end 8 + 5 = 13.
        Assert.Empty(windows.OnEvent("b", T0.AddSeconds(17), T0.AddSeconds(20), T0.AddSeconds(20)));
        var clip = Assert.Single(windows.OnTick(T0.AddSeconds(25)));

        Assert.Equal(new ClipWindow(T0.AddSeconds(-5), T0.AddSeconds(25), "a"), clip);
    }

    [Fact]
    public void OnEvent_NextEventFarAway_PreviousClipReleasedFirst()
    {
        var windows = new ClipWindows(Settings);
        windows.OnEvent("a", T0, T0.AddSeconds(8), T0.AddSeconds(8));

        var released = Assert.Single(windows.OnEvent("b", T0.AddSeconds(40), null, T0.AddSeconds(40)));

        Assert.Equal(new ClipWindow(T0.AddSeconds(-5), T0.AddSeconds(13), "a"), released);
        Assert.True(windows.HasPending);
    }

    [Fact]
    public void OnTick_EventStillOpen_KeepsClipOpenAndCutsAtMaximumLength()
    {
        var windows = new ClipWindows(Settings);
        windows.OnEvent("a", T0, null, T0);

        var pieces = new List<ClipWindow>();
        for (var t = 1; t <= 130; t++)
        {
            pieces.AddRange(windows.OnTick(T0.AddSeconds(t)));
        }

        Assert.Equal(2, pieces.Count);
        Assert.Equal(new ClipWindow(T0.AddSeconds(-5), T0.AddSeconds(55), "a"), pieces[0]);
        Assert.Equal(pieces[0].End, pieces[1].Start);
        Assert.True(windows.HasPending);
    }
}
