using CctvEdge.Node.Plugins;
using CctvEdge.Node.Uplink;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

public sealed class PluginInstanceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly PluginFolders _folders = new();
    private readonly MemoryResultOutbox _outbox;

    public PluginInstanceTests()
    {
        _outbox = new MemoryResultOutbox(new SequenceCounter(_temp.Combine("state")), 10_000, NullLogger<MemoryResultOutbox>.Instance);
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

        await Eventually.TrueAsync(() => _outbox.PendingCount >= 5, Timeout, "five one-per-second frames");
        await Task.Delay(200);
        var widths = _outbox.ReadAfter(0, 100).Select(r => r.Measurement.Value).ToList();
        Assert.Equal(5, widths.Count);
        Assert.All(widths, w => Assert.Equal(80_045, w));
    }

    [Fact]
    public async Task Start_PluginNotInstalled_FailsWithoutThrowing()
    {
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var missing = PluginInstance.Create(camera, "nosuch", null, null, _outbox, TimeProvider.System, NullLoggerFactory.Instance);

        await missing.StartAsync(CancellationToken.None);

        Assert.Equal(PluginInstanceState.Failed, missing.State);
        Assert.Contains("not installed", missing.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _folders.Dispose();
        _temp.Dispose();
    }

    private long CountingResults() => _outbox.ReadAfter(0, 100_000).Count(r => r.PluginId == "counting");

    private async Task<PluginInstance> StartAsync(Cameras.CameraWorker camera, string id, string entryType)
    {
        var plugin = PluginCatalog.Load(_folders.Add(id, entryType));
        Assert.True(plugin.IsLoaded, plugin.Error);
        var instance = PluginInstance.Create(camera, id, plugin, null, _outbox, TimeProvider.System, NullLoggerFactory.Instance);
        await instance.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(PluginInstanceState.Running, instance.State);
        return instance;
    }
}
