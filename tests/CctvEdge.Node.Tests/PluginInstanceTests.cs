using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

public sealed class PluginInstanceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly PluginFolders _folders = new();
    private TestOutbox _outbox = null!;

    public async Task InitializeAsync() => _outbox = await TestOutbox.OpenAsync();

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        _folders.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task OnFrame_PluginThrowsEveryTime_SwitchedOffWhileNeighbourKeepsProducing()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var throwing = await StartAsync(camera, "throwing", "ThrowingPlugin");
        await using var counting = await StartAsync(camera, "counting", "CountingPlugin");

        for (var batch = 0; batch < 40 && throwing.State == PluginInstanceState.Running; batch++)
        {
            await TestCamera.FeedAsync(camera, 2, T0.AddSeconds(batch), firstNumber: batch * 2);
        }

        await Eventually.TrueAsync(() => throwing.State == PluginInstanceState.Failed, Timeout, "the throwing plugin to be switched off");
        Assert.Contains("this plugin always fails", throwing.Error, StringComparison.Ordinal);
        Assert.Equal(50, throwing.Counters.Errors);

        var before = CountingResults();
        await TestCamera.FeedAsync(camera, 2, T0.AddSeconds(100));
        await Eventually.TrueAsync(() => CountingResults() >= before + 2, Timeout, "the counting plugin to go on after its neighbour failed");
        Assert.Equal(PluginInstanceState.Running, counting.State);
    }

    [Fact]
    public async Task OnFrame_PluginHangs_FramesDroppedAndNeighbourUnaffected()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var hanging = await StartAsync(camera, "hanging", "HangingPlugin");
        await using var counting = await StartAsync(camera, "counting", "CountingPlugin");

        for (var i = 0; i < 10; i++)
        {
            await TestCamera.FeedAsync(camera, 1, T0.AddSeconds(i), firstNumber: i);
            await Task.Delay(20);
        }

        await Eventually.TrueAsync(() => CountingResults() == 10, Timeout, "the counting plugin to see all ten frames");
        Assert.True(hanging.Counters.Dropped >= 7, $"dropped {hanging.Counters.Dropped}");
        Assert.Equal(0, hanging.Counters.Processed);
    }

    [Fact]
    public async Task OnFrame_PluginAsksForSmallerSlowerFrames_GetsThemScaledAndThinned()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var small = await StartAsync(camera, "small", "SmallFramePlugin");

        await TestCamera.FeedAsync(camera, 25, T0);

        await Eventually.TrueAsync(() => _outbox.Results.PendingCount >= 5, Timeout, "five one-per-second frames");
        await Task.Delay(200);
        var widths = (await _outbox.Results.ReadAfterAsync(0, 100, CancellationToken.None)).Select(r => r.Measurement.Value).ToList();
        Assert.Equal(5, widths.Count);
        Assert.All(widths, w => Assert.Equal(80_045, w));
    }

    [Fact]
    public async Task Publish_EventOnCamera_ObserversHearItButNotThePublisherItself()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var emitter = await StartAsync(camera, "emitter", "EventEmitterPlugin");
        await using var observer = await StartAsync(camera, "observer", "EventObserverPlugin");

        await TestCamera.FeedAsync(camera, 3, T0);

        await Eventually.TrueAsync(() => Results().Count(r => r.PluginId == "observer") == 3, Timeout, "the observer to hear three events");
        Assert.All(Results().Where(r => r.PluginId == "observer"), r => Assert.Equal("observed.emitter", r.Measurement.Name));
        Assert.Equal(3, Results().Count(r => r.PluginId == "emitter"));
    }

    [Fact]
    public async Task Start_PluginNotInstalled_FailsWithoutThrowing()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var missing = PluginInstance.Create(camera, null, Assignment("nosuch"), _outbox.Results, NoClips, Limits, TimeProvider.System, NullLoggerFactory.Instance);

        await missing.StartAsync(CancellationToken.None);

        Assert.Equal(PluginInstanceState.Failed, missing.State);
        Assert.Contains("not installed", missing.Error, StringComparison.Ordinal);
    }

    private static readonly CallLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private static PluginAssignment Assignment(string id) => PluginAssignment.From("Cameras:0", id, null);

    private IClipRecorder NoClips => new Recording.ClipRecorder(TestCamera.Options(), _outbox.Clips);

    private IReadOnlyList<Protocol.V1.Result> Results() => _outbox.Results.ReadAfterAsync(0, 100_000, CancellationToken.None).Result;

    private long CountingResults() => Results().Count(r => r.PluginId == "counting");

    private async Task<PluginInstance> StartAsync(Cameras.CameraWorker camera, string id, string entryType)
    {
        var plugin = _folders.Load(_folders.Add(id, entryType));
        Assert.True(plugin.IsLoaded, plugin.Error);
        var instance = PluginInstance.Create(camera, plugin, Assignment(id), _outbox.Results, NoClips, Limits, TimeProvider.System, NullLoggerFactory.Instance);
        await instance.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(PluginInstanceState.Running, instance.State);
        return instance;
    }
}
