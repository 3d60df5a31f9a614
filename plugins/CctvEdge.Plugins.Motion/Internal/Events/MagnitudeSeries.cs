namespace CctvEdge.Plugins.Motion.Internal.Events;

/// <summary>A point of the motion-magnitude series.</summary>
/// <param name="At">The end of the interval.</param>
/// <param name="Peak">The interval's largest magnitude, in percent of the frame.</param>
/// <param name="Threshold">The alert threshold at the end of the interval, in percent.</param>
internal readonly record struct MagnitudePoint(DateTimeOffset At, double Peak, double Threshold);

/// <summary>
/// Thins per-frame magnitudes to one value per interval: the interval's peak, because a graph of peaks shows a short
/// movement that an average would hide. The threshold goes with it so the graph can draw the alert line.
/// </summary>
internal sealed class MagnitudeSeries
{
    private DateTimeOffset _start;
    private double _peak;

    /// <summary>Adds a frame's magnitude; returns true with a point when an interval is complete (every frame for 0).</summary>
    public bool Add(DateTimeOffset now, double magnitude, double threshold, double intervalSeconds, out MagnitudePoint point)
    {
        if (_start == default)
        {
            _start = now;
        }

        _peak = Math.Max(_peak, magnitude);
        if (now - _start < TimeSpan.FromSeconds(intervalSeconds))
        {
            point = default;
            return false;
        }

        point = new MagnitudePoint(now, _peak, threshold);
        _start = now;
        _peak = 0;
        return true;
    }
}
