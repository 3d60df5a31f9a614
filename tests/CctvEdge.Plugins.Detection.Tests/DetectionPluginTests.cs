using CctvEdge.Plugins.Detection.Internal.Model;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Detection.Tests;

public sealed class DetectionPluginTests
{
    private static readonly Candidate Walker = new(320, 320, 100, 200, ClassId: 0, Score: 0.9f);

    [Fact]
    public async Task StartAsync_AsksForColourFramesWithTheCameraAspect()
    {
        var (plugin, _) = Plugin(_ => []);
        var subscription = await plugin.StartAsync(new FakePluginContext(Settings()), CancellationToken.None);

        Assert.Null(subscription.Frames);
        Assert.Equal(new FrameRequest(640, 360, 2), subscription.ColorFrames);
    }

    [Fact]
    public async Task OnColorFrameAsync_ObjectSeenAcrossFrames_OneEventWithBestSnapshot()
    {
        // A person walking right for three frames (the last scoring best), then gone until the lost time passes.
        var path = new[] { Walker with { Score = 0.7f }, Walker with { Cx = 330, Score = 0.8f }, Walker with { Cx = 340, Score = 0.95f } };
        var (plugin, _) = Plugin(call => call < path.Length ? [path[call]] : []);
        var context = new FakePluginContext(Settings(s => (s.MinFrames, s.LostSeconds) = (2, 2)));
        await plugin.StartAsync(context, CancellationToken.None);

        await Frames(plugin, 0, 0.5);
        var opened = Assert.Single(context.Events);
        Assert.Null(opened.End);
        await Frames(plugin, 1.0, 2.0, 2.5);
        Assert.Single(context.Events);
        await Frames(plugin, 3.5);

        Assert.Equal(2, context.Events.Count());
        var ended = context.Events.Last();
        Assert.Equal(opened.EventId, ended.EventId);
        Assert.Equal(("detection", TestFrames.Start, TestFrames.Start.AddSeconds(3.5)), (ended.Kind, ended.Start, ended.End));
        Assert.Equal(0.95, ended.Peak, 3);
        // Frame 1280x720: the best box (290..390 x 220..420 in the model) is 580..780 x 160..560.
        Assert.Equal(new RegionBox(580f / 1280, 160f / 720, 200f / 1280, 400f / 720), Assert.Single(ended.Boxes));
        var payload = Assert.IsType<DetectionPayload>(ended.Payload);
        Assert.Equal(("person", 0.95, 3), (payload.Label, payload.Score, payload.Frames));
        Assert.Equal(["person", "person"], payload.Labels.Select(l => l.Label));
        Assert.Equal([false, true], payload.Labels.Select(l => l.Alert));
        // One snapshot at the open, one more when a better view came.
        Assert.Equal(2, context.Files.Count());
        var png = context.Files.Last();
        Assert.Equal(("image/png", opened.EventId), (png.ContentType, png.EventId));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Data[..4].ToArray());
    }

    [Fact]
    public async Task OnColorFrameAsync_OneFrameOnly_NoEvent()
    {
        var (plugin, _) = Plugin(call => call == 0 ? [Walker] : []);
        var context = new FakePluginContext(Settings(s => s.MinFrames = 2));
        await plugin.StartAsync(context, CancellationToken.None);

        await Frames(plugin, 0, 0.5, 1, 10);

        Assert.Empty(context.Published);
    }

    [Fact]
    public async Task OnColorFrameAsync_CarAndPersonInRequiredZone_VehicleAndIntrusion()
    {
        var car = new Candidate(500, 300, 100, 60, ClassId: 2, Score: 0.8f);
        var (plugin, _) = Plugin(_ => [Walker, car]);
        var context = new FakePluginContext(Settings(s =>
        {
            s.MinFrames = 1;
            s.Zones = [new DetectionZone { Name = "drive", Points = [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }];
            s.RequiredZones = ["drive"];
        }));
        await plugin.StartAsync(context, CancellationToken.None);

        await Frames(plugin, 0);

        var alerts = context.Events.ToDictionary(e => ((DetectionPayload)e.Payload!).Label, e => ((DetectionPayload)e.Payload!).Alerts);
        Assert.Equal(["person", "intrusion"], alerts["person"]);
        Assert.Equal(["vehicle"], alerts["car"]);
        Assert.All(context.Events, e => Assert.Equal(["drive"], e.Zones));
        // The node's upload policy judges clips by the event's labels: the object's own and its alert types.
        Assert.Contains(context.Events, e => e.Labels.SequenceEqual(["person", "intrusion"]));
        Assert.Contains(context.Events, e => e.Labels.SequenceEqual(["car", "vehicle"]));
    }

    [Fact]
    public async Task OnColorFrameAsync_EveryThirdFrame_ModelRunsOnEveryThird()
    {
        var (plugin, model) = Plugin(_ => []);
        await plugin.StartAsync(new FakePluginContext(Settings(s => s.EveryNthFrame = 3)), CancellationToken.None);

        await Frames(plugin, 0, 0.5, 1, 1.5, 2, 2.5, 3);

        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public async Task OnColorFrameAsync_OnlyDuringMotion_RunsWhileMotionEventOpen()
    {
        var (plugin, model) = Plugin(_ => []);
        await plugin.StartAsync(new FakePluginContext(Settings(s => s.OnlyDuringMotion = true)), CancellationToken.None);
        var motion = new PluginEvent("m1", "motion", TestFrames.Start);

        await Frames(plugin, 0, 0.5);
        Assert.Equal(0, model.Calls);
        await plugin.OnEventAsync(motion, "motion", CancellationToken.None);
        await plugin.OnEventAsync(new PluginEvent("x", "detection", TestFrames.Start), "other", CancellationToken.None);
        await Frames(plugin, 1, 1.5);
        Assert.Equal(2, model.Calls);
        await plugin.OnEventAsync(motion with { End = TestFrames.Start.AddSeconds(2) }, "motion", CancellationToken.None);
        await Frames(plugin, 2, 2.5);
        Assert.Equal(2, model.Calls);
    }

    internal static DetectionSettings Settings(Action<DetectionSettings>? change = null)
    {
        var settings = new DetectionSettings { ModelPath = "/models/test.onnx" };
        change?.Invoke(settings);
        return settings;
    }

    private static (DetectionPlugin Plugin, FakeModelRunner Model) Plugin(Func<int, IReadOnlyList<Candidate>> outputs)
    {
        var model = new FakeModelRunner(outputs);
        return (new DetectionPlugin { OpenModel = _ => model }, model);
    }

    private static async Task Frames(DetectionPlugin plugin, params double[] seconds)
    {
        foreach (var at in seconds)
        {
            await plugin.OnColorFrameAsync(TestFrames.Flat(1280, 720, (long)(at * 2), at), CancellationToken.None);
        }
    }
}
