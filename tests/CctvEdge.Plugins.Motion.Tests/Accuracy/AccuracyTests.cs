using CctvEdge.Plugins.Motion.Tests.Detection;
using CctvEdge.Plugins.Sdk;
using Xunit.Abstractions;

namespace CctvEdge.Plugins.Motion.Tests.Accuracy;

/// <summary>
/// Detection quality on labelled synthetic footage with the default settings: every object found, no event from noise,
/// rain, shake, lights or the IR switch, boxes that fit, and events that end when the object leaves (no ghosts).
/// The figures are printed (dotnet test --logger "console;verbosity=detailed") and the assertions are the floor.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Plugin_LabelledFootage_FindsEveryObjectWithoutFalseAlarms()
    {
        var footage = new LabelledFootage(
            100,
            [
                new("person far", 6, 14, 40, 4, 11, (20, 100), (150, 96)),
                new("dog", 24, 14, 220, 14, 19, (290, 140), (180, 130)),
                new("car", 64, 30, 30, 54, 58, (10, 40), (250, 50)),
                new("person near", 18, 44, 215, 72, 80, (280, 110), (120, 100)),
                new("sheep", 30, 20, 225, 86, 95, (60, 60), (120, 70)),
            ],
            [
                new(DisturbanceKind.Rain, 22, 28),
                new(DisturbanceKind.Shake, 31, 34),
                new(DisturbanceKind.LightsOn, 40, 48),
                new(DisturbanceKind.InfraredNight, 64, 100),
            ]);

        var (events, frameIous) = await RunAsync(footage, new MotionSettings());
        var score = EventScore.Of(events, footage.Objects);
        Report(score, frameIous);
        Assert.All(events, e => Assert.NotNull(e.End));

        Assert.Equal(footage.Objects.Count, events.Count);
        Assert.Equal(1.0, score.Precision);
        Assert.Equal(1.0, score.Recall);
        Assert.True(frameIous.Average() >= 0.7, $"mean frame box IoU {frameIous.Average():0.00}");
        Assert.True(score.EventIous.Min() >= 0.7, $"worst event box IoU {score.EventIous.Min():0.00}");
        Assert.All(score.StartDelays, d => Assert.InRange(d, -0.5, 0.5));
        Assert.All(score.EndErrors, d => Assert.InRange(d, -0.5, 0.5));
    }

    [Fact]
    public async Task Plugin_SwayingBushWithAdaptiveThreshold_OnlyTheVisitorAlerts()
    {
        var footage = new LabelledFootage(
            90,
            [new("visitor", 40, 40, 30, 60, 68, (20, 100), (180, 90))],
            [new(DisturbanceKind.SwayingBush, 0, 90)]);

        var (fixedEvents, _) = await RunAsync(footage, new MotionSettings());
        var (adaptiveEvents, _) = await RunAsync(footage, new MotionSettings { Adaptive = true });
        var adaptiveScore = EventScore.Of(adaptiveEvents, footage.Objects);
        var fixedAlarm = AlarmSecondsWithoutVisitor(fixedEvents, footage);
        var adaptiveAlarm = AlarmSecondsWithoutVisitor(adaptiveEvents, footage);
        output.WriteLine($"fixed threshold: {fixedEvents.Count} events, {fixedAlarm:0.0} s of alarm without the visitor; adaptive: {adaptiveEvents.Count} events, {adaptiveAlarm:0.0} s, recall {adaptiveScore.Recall:0.00}");

        // The fixed threshold sees the bush all the time; the adaptive one learns it within a second and still sees
        // the visitor (its first frames: as the visitor's own motion enters the window, the threshold rises).
        Assert.True(fixedAlarm > 30, "the bush should fool the fixed threshold, or this test shows nothing");
        Assert.Equal(1.0, adaptiveScore.Recall);
        Assert.True(adaptiveAlarm <= 1, $"{adaptiveAlarm:0.0} s of alarm without the visitor");
    }

    private static double AlarmSecondsWithoutVisitor(List<PluginEvent> events, LabelledFootage footage)
    {
        var visitor = footage.Objects[0];
        return events.Sum(e =>
        {
            double start = (e.Start - T0).TotalSeconds, end = ((e.End ?? T0.AddSeconds(footage.Seconds)) - T0).TotalSeconds;
            var overlap = Math.Max(0, Math.Min(end, visitor.To) - Math.Max(start, visitor.From));
            return end - start - overlap;
        });
    }

    private static async Task<(List<PluginEvent> Events, List<double> FrameIous)> RunAsync(LabelledFootage footage, MotionSettings settings)
    {
        var context = new FakePluginContext(settings, LabelledFootage.Width, LabelledFootage.Height);
        await using var plugin = new MotionPlugin();
        await plugin.StartAsync(context, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var detector = Detectors.Create(settings, LabelledFootage.Width, LabelledFootage.Height);
        var ious = new List<double>();
        for (var i = 0; i < footage.FrameCount; i++)
        {
            var t = LabelledFootage.TimeOf(i);
            var frame = footage.Frame(i);
            await plugin.OnFrameAsync(new GrayFrame(frame, LabelledFootage.Width, LabelledFootage.Height, LabelledFootage.Width, i, T0.AddSeconds(t)), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            detector.Process(frame, LabelledFootage.Width);
            var visible = footage.Objects.Select(o => o.BoxAt(t)).OfType<(int X, int Y, int Width, int Height)>().ToList();
            if (visible.Count == 1 && detector.Blobs.Length > 0)
            {
                var b = detector.Blobs[0];
                ious.Add(EventScore.Iou((b.X, b.Y, b.Width, b.Height), visible[0]));
            }
        }

        return (context.Events.GroupBy(e => e.EventId).Select(g => g.Last()).ToList(), ious);
    }

    private void Report(EventScore score, List<double> frameIous)
    {
        output.WriteLine($"events {score.Events}, episodes {score.Episodes}: precision {score.Precision:0.00}, recall {score.Recall:0.00}");
        output.WriteLine($"box IoU per frame: mean {frameIous.Average():0.00}, min {frameIous.Min():0.00} over {frameIous.Count} frames; per event: {string.Join(", ", score.EventIous.Select(v => v.ToString("0.00")))}");
        output.WriteLine($"start delay (s): {string.Join(", ", score.StartDelays.Select(v => v.ToString("0.0")))}; end error (s): {string.Join(", ", score.EndErrors.Select(v => v.ToString("0.0")))}");
    }
}
