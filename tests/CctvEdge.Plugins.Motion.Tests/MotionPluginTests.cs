using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Plugins.Motion.Tests;

public sealed class MotionPluginTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OnFrameAsync_SquareCrossesScene_PublishesOpenedAndClosedEventAndMagnitudes()
    {
        var context = new FakeContext(new MotionSettings { GapSeconds = 1 });
        await using var plugin = new MotionPlugin();
        var subscription = await plugin.StartAsync(context, CancellationToken.None);
        Assert.NotNull(subscription.Frames);

        for (var i = 0; i < 60; i++)
        {
            // Seconds 2 to 5 have a square moving right; the rest is a quiet, noisy scene.
            var t = i * 0.2;
            (int, int, int)? square = t is >= 2 and < 5 ? (20 + (i * 8), 70, 30) : null;
            var pixels = Frames.Scene(i, noise: 5, square: square);
            await plugin.OnFrameAsync(new GrayFrame(pixels, Frames.Width, Frames.Height, Frames.Width, i, T0.AddSeconds(t)), CancellationToken.None);
        }

        var events = context.Published.OfType<PluginEvent>().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(events[0].EventId, events[1].EventId);
        Assert.Null(events[0].End);
        Assert.Equal(MotionPlugin.EventKind, events[1].Kind);
        Assert.InRange((events[1].Start - T0).TotalSeconds, 1.9, 2.5);
        Assert.InRange((events[1].End!.Value - T0).TotalSeconds, 4.5, 8);
        Assert.Single(events[1].Boxes);
        Assert.Contains(context.Published.OfType<PluginMeasurement>(), m => m.Name == MotionPlugin.MagnitudeName && m.Value > 0.5);
        Assert.InRange(context.Published.OfType<PluginMeasurement>().Count(), 10, 13);
    }

    [Fact]
    public async Task StartAsync_ThresholdOutOfRange_ThrowsSettingsErrorNamingIt()
    {
        await using var plugin = new MotionPlugin();

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => plugin.StartAsync(new FakeContext(new MotionSettings { Threshold = 300 }), CancellationToken.None).AsTask());

        Assert.Contains("Threshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("300", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FakeContext(MotionSettings settings) : IPluginContext, IResultPublisher, ISnapshotSource
    {
        public List<object> Published { get; } = [];

        public string PluginId => "motion";

        public CameraDescriptor Camera { get; } = new("yard", "Yard", Frames.Width, Frames.Height, 5);

        public IResultPublisher Results => this;

        public ISnapshotSource Snapshots => this;

        public IClipRecorder Clips => throw new NotSupportedException("The motion plugin does not cut clips.");

        public ILogger Logger => NullLogger.Instance;

        public TimeProvider Clock => TimeProvider.System;

        public JpegSnapshot? Latest => null;

        public T BindSettings<T>()
            where T : class, new() => (settings as T)!;

        public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default) => Record(pluginEvent);

        public ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default) => Record(measurement);

        public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) => Record(file);

        private ValueTask Record(object result)
        {
            Published.Add(result);
            return ValueTask.CompletedTask;
        }
    }
}
