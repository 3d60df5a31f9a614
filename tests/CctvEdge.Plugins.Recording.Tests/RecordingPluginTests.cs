using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Plugins.Recording.Tests;

public sealed class RecordingPluginTests
{
    [Fact]
    public async Task OnEvent_MotionEventThenQuiet_RequestsOneClipAroundIt()
    {
        var context = new FakeContext(new RecordingSettings { PreRollSeconds = 2, PostRollSeconds = 1 });
        await using var plugin = new RecordingPlugin();
        var subscription = await plugin.StartAsync(context, CancellationToken.None);
        var start = context.Clock.GetUtcNow();

        await plugin.OnEventAsync(new PluginEvent("m1", "motion", start), "motion", CancellationToken.None);
        await plugin.OnEventAsync(new PluginEvent("m1", "motion", start) { End = start.AddSeconds(4) }, "motion", CancellationToken.None);
        await plugin.OnEventAsync(new PluginEvent("t1", "temperature", start), "sense", CancellationToken.None);
        context.Clock.Advance(TimeSpan.FromSeconds(6));
        await plugin.OnTickAsync(context.Clock.GetUtcNow(), CancellationToken.None);

        Assert.Null(subscription.Frames);
        Assert.Equal(TimeSpan.FromSeconds(1), subscription.TickInterval);
        var request = Assert.Single(context.Requests);
        Assert.Equal(start.AddSeconds(-2), request.Start);
        Assert.Equal(start.AddSeconds(5), request.End);
        Assert.Equal("m1", request.EventId);
    }

    [Fact]
    public async Task StartAsync_CameraDoesNotRecord_RefusedWithReason()
    {
        var context = new FakeContext(new RecordingSettings()) { Recording = false };
        await using var plugin = new RecordingPlugin();

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => plugin.StartAsync(context, CancellationToken.None).AsTask());

        Assert.Contains("does not record", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 5, 300, "PreRollSeconds")]
    [InlineData(5, 500, 300, "PostRollSeconds")]
    [InlineData(5, 5, 8, "MaxClipSeconds")]
    public async Task StartAsync_BadSetting_RefusedNamingIt(double pre, double post, double max, string expected)
    {
        await using var plugin = new RecordingPlugin();

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() =>
            plugin.StartAsync(new FakeContext(new RecordingSettings { PreRollSeconds = pre, PostRollSeconds = post, MaxClipSeconds = max }), CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private sealed class FakeContext(RecordingSettings settings) : IPluginContext, IClipRecorder
    {
        public bool Recording { get; init; } = true;

        public List<ClipRequest> Requests { get; } = [];

        public string PluginId => "recording";

        public CameraDescriptor Camera { get; } = new("yard", "Yard", 320, 180, 5);

        public IResultPublisher Results => throw new NotSupportedException();

        public ISnapshotSource Snapshots => throw new NotSupportedException();

        public IClipRecorder Clips => this;

        public ILogger Logger => NullLogger.Instance;

        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));

        TimeProvider IPluginContext.Clock => Clock;

        public bool IsRecording => Recording;

        public T BindSettings<T>()
            where T : class, new() => (settings as T)!;

        public ValueTask<string> RequestClipAsync(ClipRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return ValueTask.FromResult("clip-" + Requests.Count);
        }
    }
}
