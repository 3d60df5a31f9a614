using CctvEdge.Plugins.Sdk;

namespace TamperAlarm;

/// <summary>
/// Watches a small, slow copy of the camera's gray frames: a covered lens makes the picture dark, a camera turned to a
/// wall or sprayed makes it featureless. Either, held for a few seconds, opens a "tamper" event that closes when the
/// picture comes back. The mean brightness is published as a measurement along the way.
/// </summary>
[PluginSettings(typeof(TamperSettings))]
public sealed class TamperAlarmPlugin : IFrameAnalyzer, IReconfigurable
{
    private IPluginContext _context = null!;
    private TamperSettings _settings = new();
    private DateTimeOffset? _suspectSince;
    private DateTimeOffset _nextMeasurement;
    private PluginEvent? _open;

    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _context = context;
        _settings = context.BindSettings<TamperSettings>();
        // A 64x36 picture twice a second is plenty to tell a covered lens, and costs next to nothing.
        return ValueTask.FromResult(new PluginSubscription(new FrameRequest(Width: 64, Height: 36, Fps: 2)));
    }

    public ValueTask ReconfigureAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        _settings = context.BindSettings<TamperSettings>();
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken)
    {
        var (brightness, detail) = Measure(frame);
        if (frame.Timestamp >= _nextMeasurement)
        {
            _nextMeasurement = frame.Timestamp.AddSeconds(_settings.IntervalSeconds);
            await _context.Results.PublishAsync(new PluginMeasurement("tamper.brightness", Math.Round(brightness, 1), "", frame.Timestamp), cancellationToken);
        }

        var suspect = brightness < _settings.DarkBelow || detail < _settings.FlatBelow;
        _suspectSince = suspect ? _suspectSince ?? frame.Timestamp : null;
        if (_open is null && _suspectSince is { } since && frame.Timestamp - since >= TimeSpan.FromSeconds(_settings.HoldSeconds))
        {
            _open = new PluginEvent(Guid.NewGuid().ToString("N"), "tamper", since) { Payload = new TamperPayload(brightness < _settings.DarkBelow ? "dark" : "featureless", brightness, detail) };
            await _context.Results.PublishAsync(_open, cancellationToken);
        }
        else if (_open is not null && !suspect)
        {
            await _context.Results.PublishAsync(_open with { End = frame.Timestamp }, cancellationToken);
            _open = null;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Mean brightness and mean absolute difference between horizontal neighbours.</summary>
    private static (double Brightness, double Detail) Measure(GrayFrame frame)
    {
        var pixels = frame.Pixels.Span;
        long sum = 0, differences = 0;
        for (var y = 0; y < frame.Height; y++)
        {
            var row = pixels.Slice(y * frame.Stride, frame.Width);
            sum += row[0];
            for (var x = 1; x < row.Length; x++)
            {
                sum += row[x];
                differences += Math.Abs(row[x] - row[x - 1]);
            }
        }

        var count = (double)frame.Width * frame.Height;
        return (sum / count, differences / (count - frame.Height));
    }
}

/// <summary>What a tamper event carries.</summary>
/// <param name="Cause">dark or featureless.</param>
/// <param name="Brightness">Mean brightness when it opened.</param>
/// <param name="Detail">Mean neighbour difference when it opened.</param>
public sealed record TamperPayload(string Cause, double Brightness, double Detail);
