using CctvEdge.Plugins.Motion.Internal;
using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests;

public sealed class MotionAnalyzerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 19, 59, 0, TimeSpan.Zero);

    [Fact]
    public void Analyze_AfterGlobalChange_LearnsOnlyForHoldSecondsThenComparesAgain()
    {
        var analyzer = Create(new MotionSettings { GlobalChangeHoldSeconds = 1 });
        var outcomes = new List<FrameOutcome>();

        for (var i = 0; i < 12; i++)
        {
            // Quiet, then the lights come on at frame 5 (1.0 s); squares appear while the picture settles and after.
            var frame = i < 5 ? Frames.Scene(i, noise: 3) : Frames.Scene(i, noise: 3, brightness: 80, square: i >= 6 ? (20 + (i * 20), 60, 30) : null);
            outcomes.Add(analyzer.Analyze(frame, Frames.Width, Frames.Height, Frames.Width, T0.AddSeconds(i * 0.2)));
        }

        Assert.All(outcomes.Take(10), o => Assert.Equal(0, o.MagnitudePercent));
        Assert.All(outcomes.Skip(10), o => Assert.True(o.MagnitudePercent >= o.ThresholdPercent));
    }

    [Fact]
    public void Analyze_NightProfileStarts_ItsThresholdAppliesFromThatFrame()
    {
        var analyzer = Create(new MotionSettings { Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromHours(6), Threshold = 200 }] });
        var moving = new List<bool>();

        // 19:59:58.0 to 20:00:01.8: the square keeps moving across the switch at 20:00.
        for (var i = 0; i < 20; i++)
        {
            var outcome = analyzer.Analyze(Frames.Scene(i, noise: 3, square: i >= 5 ? (20 + (i * 12), 60, 30) : null), Frames.Width, Frames.Height, Frames.Width, T0.AddSeconds(58 + (i * 0.2)));
            moving.Add(outcome.MagnitudePercent > 0);
        }

        Assert.All(moving.Skip(5).Take(5), Assert.True);
        Assert.All(moving.Skip(10), Assert.False);
        Assert.Equal("night", analyzer.Profile);
    }

    [Fact]
    public void Analyze_SteadyStateWithZonesAndProfiles_AllocatesNothing()
    {
        var analyzer = Create(new MotionSettings
        {
            Adaptive = true,
            Zones = [new MotionPolygon { Name = "all", Points = [[0, 0], [1, 0], [1, 1], [0, 1]] }],
            Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(22), To = TimeSpan.FromHours(6) }],
        });
        var quiet = Frames.Scene(1, noise: 3);
        var moving = Frames.Scene(2, noise: 3, square: (50, 50, 30));
        var shifted = Frames.Scene(2, noise: 3, square: (52, 50, 30));

        // Warm up past the event the square opens and the adaptive threshold closes (events allocate, frames must not).
        for (var i = 0; i < 40; i++)
        {
            analyzer.Analyze(i < 10 ? quiet : i % 2 == 0 ? moving : shifted, Frames.Width, Frames.Height, Frames.Width, T0.AddSeconds(i * 0.2));
        }

        var allocated = Allocations.OnThisThread(() =>
        {
            for (var i = 40; i < 140; i++)
            {
                analyzer.Analyze(i % 2 == 0 ? moving : shifted, Frames.Width, Frames.Height, Frames.Width, T0.AddSeconds(i * 0.2));
            }
        });

        Assert.Equal(0, allocated);
    }

    private static MotionAnalyzer Create(MotionSettings settings) =>
        new(MotionSetup.Create(settings, Frames.Width, Frames.Height), 5, TimeZoneInfo.Utc, KernelPaths.Best);
}
