using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

public sealed class PluginInstanceTests : PluginTestBase
{
    [Fact]
    public async Task OnFrame_PluginThrowsEveryTime_SwitchedOffWhileNeighbourKeepsProducing()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        await using var throwing = await StartAsync(camera, "throwing", "ThrowingPlugin");
        await using var counting = await StartAsync(camera, "counting", "CountingPlugin");

        for (var batch = 0; batch < 40 && throwing.State == InstanceState.Running; batch++)
        {
            await TestCamera.FeedAsync(camera, 2, T0.AddSeconds(batch), firstNumber: batch * 2);
        }

        await Eventually.TrueAsync(() => throwing.State == InstanceState.Failed, Timeout, "the throwing plugin to be switched off");
        Assert.Contains("this plugin always fails", throwing.Error, StringComparison.Ordinal);
        Assert.Equal(50, throwing.Counters.Errors);

        var before = CountingResults();
        await TestCamera.FeedAsync(camera, 2, T0.AddSeconds(100));
        await Eventually.TrueAsync(() => CountingResults() >= before + 2, Timeout, "the counting plugin to go on after its neighbour failed");
        Assert.Equal(InstanceState.Running, counting.State);
    }

    [Fact]
    public async Task OnFrame_PluginHangs_FramesDroppedAndNeighbourUnaffected()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        await using var hanging = await StartAsync(camera, "hanging", "HangingPlugin");
        await using var counting = await StartAsync(camera, "counting", "CountingPlugin");

        for (var i = 0; i < 10; i++)
        {
            await TestCamera.FeedAsync(camera, 1, T0.AddSeconds(i), firstNumber: i);
            // Room for the counting plugin to keep up on a loaded CI machine (a frame it falls behind on is dropped).
            await Task.Delay(100);
        }

        await Eventually.TrueAsync(() => CountingResults() == 10, Timeout, "the counting plugin to see all ten frames");
        Assert.True(hanging.Counters.Dropped >= 7, $"dropped {hanging.Counters.Dropped}");
        Assert.Equal(0, hanging.Counters.Processed);
    }

    [Fact]
    public async Task OnFrame_PluginAsksForSmallerSlowerFrames_GetsThemScaledAndThinned()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        await using var small = await StartAsync(camera, "small", "SmallFramePlugin");

        await TestCamera.FeedAsync(camera, 25, T0);

        await Eventually.TrueAsync(() => Outbox.Results.PendingCount >= 5, Timeout, "five one-per-second frames");
        await Task.Delay(200);
        var widths = (await Outbox.Results.ReadAfterAsync(0, 100, CancellationToken.None)).Select(r => r.Measurement.Value).ToList();
        Assert.Equal(5, widths.Count);
        Assert.All(widths, w => Assert.Equal(80_045, w));
    }

    [Fact]
    public async Task OnColorFrame_PluginAsksForColour_DemandRaisedFramesScaledThinnedAndDemandDropped()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        var colour = await StartAsync(camera, "colour", "ColourFramePlugin");
        Assert.Equal(new Cameras.ColorOutput(80, 45, 1), camera.ColorDemand.Current);

        for (var i = 0; i < 10; i++)
        {
            // 160x90 red frames at 5 fps: the plugin wants 80x45 at 1 fps.
            await Task.Delay(5);
            var buffer = Cameras.SharedFrame.Rent(160, 90, 3);
            buffer.AsSpan(0, 160 * 90 * 3).Fill(0);
            for (var p = 0; p < 160 * 90 * 3; p += 3)
            {
                buffer[p] = 200;
            }

            var frame = Cameras.SharedFrame.Wrap(buffer, 160, 90, i + 1, T0.AddSeconds(i * 0.2), channels: 3);
            camera.ColorFrames.Dispatch(frame);
            frame.Release();
        }

        await Eventually.TrueAsync(() => Results("colour") >= 2, Timeout, "two one-per-second colour frames");
        await Task.Delay(200);
        var values = All().Where(r => r.PluginId == "colour").Select(r => r.Measurement.Value).ToList();
        Assert.Equal([80_045.2, 80_045.2], values);
        await colour.DisposeAsync();
        Assert.Null(camera.ColorDemand.Current);
    }

    [Fact]
    public async Task Publish_EventOnCamera_ObserversHearItButNotThePublisherItself()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        await using var emitter = await StartAsync(camera, "emitter", "EventEmitterPlugin");
        await using var observer = await StartAsync(camera, "observer", "EventObserverPlugin");

        await TestCamera.FeedAsync(camera, 3, T0);

        await Eventually.TrueAsync(() => Results("observer") == 3, Timeout, "the observer to hear three events");
        Assert.All(All().Where(r => r.PluginId == "observer"), r => Assert.Equal("observed.emitter", r.Measurement.Name));
        Assert.Equal(3, Results("emitter"));
    }

    [Fact]
    public async Task Start_PluginNotInstalled_FailsWithoutThrowing()
    {
        var camera = TestCamera.Create(Temp.Combine("camera"));
        await using var missing = PluginInstance.Create(camera, null, Assignment("nosuch"), Outbox.Results, NoClips, Limits, TimeProvider.System, NullLoggerFactory.Instance);

        await missing.StartAsync(CancellationToken.None);

        Assert.Equal(InstanceState.Failed, missing.State);
        Assert.Contains("not installed", missing.Error, StringComparison.Ordinal);
    }

    private static readonly CallLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private static PluginAssignment Assignment(string id) => PluginAssignment.From("Cameras:0", id, null);

    private IClipRecorder NoClips => new Recording.ClipRecorder(TestCamera.Options(), Outbox.Clips);

    private long CountingResults() => Results("counting");

    private async Task<PluginInstance> StartAsync(Cameras.CameraWorker camera, string id, string entryType)
    {
        var plugin = Folders.Load(Folders.Add(id, entryType));
        Assert.True(plugin.IsLoaded, plugin.Error);
        var instance = PluginInstance.Create(camera, plugin, Assignment(id), Outbox.Results, NoClips, Limits, TimeProvider.System, NullLoggerFactory.Instance);
        await instance.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(InstanceState.Running, instance.State);
        return instance;
    }
}
