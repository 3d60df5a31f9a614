using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Motion.Tests;

public sealed class MotionPluginTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OnFrameAsync_SquareCrossesScene_PublishesOpenedAndClosedEventAndMagnitudes()
    {
        var context = new FakePluginContext(new MotionSettings { GapSeconds = 1 });
        await using var plugin = new MotionPlugin();
        var subscription = await plugin.StartAsync(context, CancellationToken.None);
        Assert.NotNull(subscription.Frames);

        // Seconds 2 to 5 have a square moving right; the rest is a quiet, noisy scene.
        await FeedAsync(plugin, 0, 60, i => Frames.Scene(i, noise: 5, square: i * 0.2 is >= 2 and < 5 ? (20 + (i * 8), 70, 30) : null));

        var events = context.Events.ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(events[0].EventId, events[1].EventId);
        Assert.Null(events[0].End);
        Assert.Equal(MotionPlugin.EventKind, events[1].Kind);
        Assert.InRange((events[1].Start - T0).TotalSeconds, 1.9, 2.3);
        Assert.InRange((events[1].End!.Value - T0).TotalSeconds, 4.7, 5.0);
        var box = Assert.Single(events[1].Boxes);
        Assert.InRange(box.Y, 68f / 180, 71f / 180);
        Assert.Contains(context.Measurements(MotionPlugin.MagnitudeName), m => m.Value > 0.5);
        Assert.InRange(context.Measurements(MotionPlugin.MagnitudeName).Count(), 10, 13);
        Assert.All(context.Measurements(MotionPlugin.ThresholdName), m => Assert.Equal(0.1, m.Value));
    }

    [Fact]
    public async Task StartAsync_ThresholdOutOfRange_ThrowsSettingsErrorNamingIt()
    {
        await using var plugin = new MotionPlugin();

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => plugin.StartAsync(new FakePluginContext(new MotionSettings { Threshold = 300 }), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("Threshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("300", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconfigureAsync_SameSize_KeepsLearnedBackground()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1 });
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);
        await FeedAsync(plugin, 0, 10, i => Frames.Scene(i, noise: 3));

        context.Settings = new MotionSettings { MinFrames = 1, GapSeconds = 1, Threshold = 30 };
        await plugin.ReconfigureAsync(context, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await FeedAsync(plugin, 10, 2, i => Frames.Scene(i, noise: 3, square: (100, 60, 30)));

        // A lost background would spend the first frame after the change learning, and the event would start later.
        Assert.Equal(T0.AddSeconds(2), Assert.Single(context.Events).Start);
    }

    [Fact]
    public async Task ReconfigureAsync_InvalidSettings_RefusedAndOldSettingsKeepWorking()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1 });
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);
        await FeedAsync(plugin, 0, 5, i => Frames.Scene(i, noise: 3));

        context.Settings = new MotionSettings { Zones = [new MotionPolygon { Name = "gate", Points = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]] }] };
        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => plugin.ReconfigureAsync(context, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await FeedAsync(plugin, 5, 2, i => Frames.Scene(i, noise: 3, square: (100, 60, 30)));

        Assert.Contains("Zones[0] ('gate').Points", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cross", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(context.Events).Zones);
    }

    [Fact]
    public async Task ReconfigureAsync_HigherThreshold_TakesEffectOnNextFrame()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1 });
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);
        await FeedAsync(plugin, 0, 5, i => Frames.Scene(i, noise: 3));

        context.Settings = new MotionSettings { MinFrames = 1, Threshold = 200 };
        await plugin.ReconfigureAsync(context, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await FeedAsync(plugin, 5, 5, i => Frames.Scene(i, noise: 3, square: (100, 60, 30)));

        Assert.Empty(context.Events);
    }

    [Fact]
    public async Task OnFrameAsync_EventOpens_PublishesFirstSnapshotTakenAfterItsStart()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1, GapSeconds = 1 }) { Latest = new JpegSnapshot(new byte[] { 1 }, T0) };
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);
        await FeedAsync(plugin, 0, 10, i => Frames.Scene(i, noise: 3));
        await FeedAsync(plugin, 10, 3, i => Frames.Scene(i, noise: 3, square: (100 + i, 60, 30)));

        context.Latest = new JpegSnapshot(new byte[] { 0xFF, 0xD8, 2 }, T0.AddSeconds(2.5));
        await FeedAsync(plugin, 13, 10, i => Frames.Scene(i, noise: 3));

        var file = Assert.Single(context.Published.OfType<PluginFile>());
        Assert.Equal("image", file.Kind);
        Assert.Equal("image/jpeg", file.ContentType);
        Assert.Equal(context.Events.First().EventId, file.EventId);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 2 }, file.Data.ToArray());
    }

    [Fact]
    public async Task OnFrameAsync_MalformedFrames_SkippedAndLoggedWithoutThrowing()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1 });
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);

        await plugin.OnFrameAsync(new GrayFrame(new byte[100], Frames.Width, Frames.Height, Frames.Width, 1, T0), CancellationToken.None);
        await plugin.OnFrameAsync(new GrayFrame(new byte[100], Frames.Width, Frames.Height, Frames.Width, 2, T0), CancellationToken.None);
        await plugin.OnFrameAsync(new GrayFrame(new byte[100], 10, 10, 5, 3, T0), CancellationToken.None);
        await plugin.OnFrameAsync(new GrayFrame(new byte[64], 8, 8, 8, 4, T0), CancellationToken.None);
        await FeedAsync(plugin, 0, 5, i => Frames.Scene(i, noise: 3, square: i < 3 ? null : (100, 60, 30)));

        var warnings = context.Logged.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        // The same problem twice in a row is logged once.
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("skipped frame 1 (1 so far): it holds 100 bytes", StringComparison.Ordinal) && w.Contains("needs 57600", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("fewer than its width", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("at least 16x16", StringComparison.Ordinal));
        Assert.Single(context.Events);
    }

    [Fact]
    public async Task OnFrameAsync_FramesOfAnotherSize_AnalysedAtThatSize()
    {
        var context = new FakePluginContext(new MotionSettings { MinFrames = 1 });
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            var frame = new byte[160 * 90];
            frame.AsSpan(0, 160 * 90).Fill(80);
            if (i >= 3)
            {
                for (var y = 30; y < 50; y++)
                {
                    frame.AsSpan((y * 160) + 40, 20).Fill(230);
                }
            }

            await plugin.OnFrameAsync(new GrayFrame(frame, 160, 90, 160, i, T0.AddSeconds(i * 0.2)), CancellationToken.None);
        }

        var box = Assert.Single(Assert.Single(context.Events).Boxes);
        Assert.InRange(box.X, 38f / 160, 40f / 160);
    }

    [Fact]
    public async Task OnFrameAsync_MotionInZone_EventNamesZoneAndNightProfileApplies()
    {
        var settings = new MotionSettings
        {
            MinFrames = 1,
            Zones = [new MotionPolygon { Name = "gate", Points = [[0, 0], [0.25, 0], [0.25, 1], [0, 1]] }, new MotionPolygon { Name = "yard", Points = [[0.25, 0], [1, 0], [1, 1], [0.25, 1]] }],
            Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromHours(6), Threshold = 200 }],
        };
        var context = new FakePluginContext(settings);
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None);

        await FeedAsync(plugin, 0, 5, i => Frames.Scene(i, noise: 3, square: i < 3 ? null : (150, 60, 30)));
        // 22:00 UTC: the night profile's threshold of 200 hides a square that differs by about 150.
        await FeedAsync(plugin, 0, 5, i => Frames.Scene(i, noise: 3, square: i < 3 ? null : (150, 60, 30)), T0.AddHours(14));

        var e = Assert.Single(context.Events.GroupBy(e => e.EventId)).Last();
        Assert.Equal(["yard"], e.Zones);
        Assert.Null(Assert.IsType<MotionPayload>(e.Payload).Profile);
    }

    private static async Task FeedAsync(MotionPlugin plugin, int first, int count, Func<int, byte[]> frame, DateTimeOffset? start = null)
    {
        for (var i = first; i < first + count; i++)
        {
            var at = (start ?? T0).AddSeconds(i * 0.2);
            await plugin.OnFrameAsync(new GrayFrame(frame(i), Frames.Width, Frames.Height, Frames.Width, i, at), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
