using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// Turns per-second vibration into events: one opens when the RMS rises above the threshold and closes after
/// <see cref="SenseSettings.GapSeconds"/> below it, carrying its strongest second. With an adaptive factor the
/// threshold follows the quiet baseline (an exponentially weighted mean and variance of the RMS outside events, over
/// about a minute), as the motion plugin's adaptive threshold follows the scene's noise: the mean plus the factor times
/// the spread, the spread taken as at least a tenth of the mean so a perfectly steady hum still needs a clear rise. The
/// first half-minute only learns, so a machine already running at start is not an event.
/// </summary>
internal sealed class VibrationEvents(SenseSettings settings)
{
    public const string Kind = "vibration";

    // The baseline learns over about a minute of quiet seconds and is trusted after half a minute.
    private const double Learning = 1.0 / 60;
    private const int Trusted = 30;
    private const double SmallestSpread = 0.1;

    private string? _eventId;
    private DateTimeOffset _start;
    private DateTimeOffset _lastAbove;
    private VibrationSecond _strongest;
    private double _baselineMean;
    private double _baselineVariance;
    private int _learned;

    /// <summary>The threshold now in force, in g RMS.</summary>
    public double Threshold =>
        Adaptive
            ? Math.Max(settings.Threshold, _baselineMean + (settings.AdaptiveFactor * Math.Max(Math.Sqrt(_baselineVariance), SmallestSpread * _baselineMean)))
            : settings.Threshold;

    private bool Adaptive => settings.AdaptiveFactor > 0;

    /// <summary>The event to publish after the second from <paramref name="start"/> to <paramref name="end"/>, if any.</summary>
    public PluginEvent? Next(VibrationSecond second, DateTimeOffset start, DateTimeOffset end)
    {
        if (Adaptive && _learned < Trusted)
        {
            Learn(second.Rms);
            return null;
        }

        var threshold = Threshold;
        if (second.Rms > threshold)
        {
            _lastAbove = end;
            if (_eventId is null)
            {
                _eventId = Guid.NewGuid().ToString("N");
                _start = start;
                _strongest = second;
                return Event(threshold, null);
            }

            if (second.Rms > _strongest.Rms)
            {
                _strongest = second;
            }

            return null;
        }

        if (_eventId is null)
        {
            Learn(second.Rms);
            return null;
        }

        if ((end - _lastAbove).TotalSeconds < settings.GapSeconds)
        {
            return null;
        }

        var closed = Event(threshold, _lastAbove);
        _eventId = null;
        return closed;
    }

    private void Learn(double rms)
    {
        var delta = rms - _baselineMean;
        // The first seconds start the mean where the machine is, rather than creeping up from zero.
        _baselineMean += (_learned == 0 ? 1 : Learning) * delta;
        _baselineVariance = (1 - Learning) * (_baselineVariance + (Learning * delta * delta));
        _learned++;
    }

    private PluginEvent Event(double threshold, DateTimeOffset? end) => new(_eventId!, Kind, _start)
    {
        End = end,
        Peak = Math.Round(_strongest.Rms, 4),
        Payload = new
        {
            rms = Math.Round(_strongest.Rms, 4),
            peak = Math.Round(_strongest.Peak, 4),
            frequency = Math.Round(_strongest.Frequency, 1),
            threshold = Math.Round(threshold, 4),
            reason = $"vibration {_strongest.Rms:0.###} g RMS at {_strongest.Frequency:0} Hz, above {threshold:0.###} g",
        },
    };
}
