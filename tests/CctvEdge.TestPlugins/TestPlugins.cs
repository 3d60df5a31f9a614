using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.TestPlugins;

/// <summary>Publishes one measurement per frame: proof that frames keep arriving.</summary>
public sealed class CountingPlugin : IFrameAnalyzer
{
    private IPluginContext _context = null!;
    private long _frames;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest()));
    }

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginMeasurement("test.frames", ++_frames, "", frame.Timestamp), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Throws on every frame.</summary>
public sealed class ThrowingPlugin : IFrameAnalyzer
{
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginSubscription(new FrameRequest()));

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this plugin always fails");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Never returns from a frame (until cancelled).</summary>
public sealed class HangingPlugin : IFrameAnalyzer
{
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginSubscription(new FrameRequest()));

    public async ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.Infinite, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Asks for a smaller frame at a lower rate and reports what it got.</summary>
public sealed class SmallFramePlugin : IFrameAnalyzer
{
    private IPluginContext _context = null!;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest(Width: 80, Height: 45, Fps: 1)));
    }

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginMeasurement("test.width", frame.Width * 1000 + frame.Height, "", frame.Timestamp), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Asks for colour frames only (80x45 at 1 fps) and publishes each one's size and first pixel's red value.</summary>
public sealed class ColourFramePlugin : IColorFrameAnalyzer
{
    private IPluginContext _context = null!;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        return ValueTask.FromResult(new PluginSubscription(null) { ColorFrames = new FrameRequest(Width: 80, Height: 45, Fps: 1) });
    }

    public ValueTask OnColorFrameAsync(ColorFrame frame, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginMeasurement("test.colour", (frame.Width * 1000) + frame.Height + (frame.Pixels.Span[0] / 1000.0), "", frame.Timestamp), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Has no parameterless constructor, so the node must refuse it.</summary>
public sealed class NoDefaultConstructorPlugin(int unused) : ICameraPlugin
{
    public int Unused => unused;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) => ValueTask.FromResult(PluginSubscription.None);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Publishes a closed "test" event with a payload record on every frame.</summary>
public sealed class EventEmitterPlugin : IFrameAnalyzer
{
    private IPluginContext _context = null!;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest()));
    }

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginEvent("frame-" + frame.Number, "test", frame.Timestamp) { End = frame.Timestamp, Payload = new EmittedPayload(frame.Number) }, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Reports every event it observes as a measurement named after the publisher.</summary>
public sealed class EventObserverPlugin : IEventObserver, ICameraPlugin
{
    private IPluginContext _context = null!;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        return ValueTask.FromResult(PluginSubscription.None);
    }

    public ValueTask OnEventAsync(PluginEvent pluginEvent, string pluginId, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginMeasurement("observed." + pluginId, 1, "", pluginEvent.Start), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>What <see cref="EventEmitterPlugin"/> attaches to its events: a type of the plugin's own, serialized by the host.</summary>
public sealed record EmittedPayload(long Frame);

/// <summary>Blocks its thread forever on the first frame: a call that never returns and ignores cancellation.</summary>
public sealed class SleepingPlugin : IFrameAnalyzer
{
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginSubscription(new FrameRequest()));

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The settings of the stepping plugins.</summary>
public sealed class StepSettings
{
    /// <summary>What each frame's measurement reports.</summary>
    [Range(1, 100)]
    [Description("Reported with every frame.")]
    public int Step { get; set; } = 1;

    [Required]
    [StringLength(20, MinimumLength = 1)]
    public string Label { get; set; } = "gate";

    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    public List<int> Zones { get; set; } = [];
}

/// <summary>Publishes its Step setting with every frame; must be restarted to take new settings.</summary>
[PluginSettings(typeof(StepSettings))]
public class SteppingPlugin : IFrameAnalyzer
{
    private IPluginContext _context = null!;

    /// <summary>The settings in force.</summary>
    protected StepSettings Settings { get; set; } = new();

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        Settings = context.BindSettings<StepSettings>();
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest()));
    }

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        _context.Results.PublishAsync(new PluginMeasurement("test.step", Settings.Step, "", frame.Timestamp), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>As <see cref="SteppingPlugin"/>, but takes new settings while it runs.</summary>
[PluginSettings(typeof(StepSettings))]
public sealed class ReconfigurableSteppingPlugin : SteppingPlugin, IReconfigurable
{
    public ValueTask ReconfigureAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        Settings = context.BindSettings<StepSettings>();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Takes 150 ms per frame: over a budget of 100 ms, yet never hung.</summary>
public sealed class SlowPlugin : IFrameAnalyzer
{
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginSubscription(new FrameRequest()));

    public async ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) =>
        await Task.Delay(150, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
