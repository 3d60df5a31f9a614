namespace CctvEdge.Plugins.Motion.Internal.Events;

/// <summary>
/// Mean and standard deviation of the motion magnitude over a sliding time window, for the adaptive alert threshold:
/// a camera on swaying plants learns how much they move, and only more than that raises an alert. Values are whole
/// pixel counts, so the running sums are exact and never drift. A ring buffer sized at construction keeps it
/// allocation-free; when frames come faster than expected the oldest drop out early.
/// </summary>
internal sealed class AdaptiveThreshold
{
    private readonly long[] _times;
    private readonly int[] _values;
    private readonly long _window;
    private int _first;
    private int _count;
    private long _sum;
    private long _sumOfSquares;

    public AdaptiveThreshold(TimeSpan window, double framesPerSecond)
    {
        _window = window.Ticks;
        var capacity = (int)Math.Clamp(Math.Ceiling(window.TotalSeconds * Math.Max(framesPerSecond, 1) * 2), 16, 100_000);
        _times = new long[capacity];
        _values = new int[capacity];
    }

    public int Count => _count;

    /// <summary>Adds a frame's magnitude (pixels) at <paramref name="at"/>, forgetting values older than the window.</summary>
    public void Add(DateTimeOffset at, int value)
    {
        var now = at.UtcTicks;
        while (_count > 0 && (now - _times[_first] >= _window || _count == _times.Length))
        {
            _sum -= _values[_first];
            _sumOfSquares -= (long)_values[_first] * _values[_first];
            _first = (_first + 1) % _times.Length;
            _count--;
        }

        var slot = (_first + _count) % _times.Length;
        _times[slot] = now;
        _values[slot] = value;
        _sum += value;
        _sumOfSquares += (long)value * value;
        _count++;
    }

    /// <summary>Mean + k standard deviations of the values in the window (pixels); 0 while empty.</summary>
    public double Level(double k)
    {
        if (_count == 0)
        {
            return 0;
        }

        // n² · variance = n · Σx² − (Σx)², exact in 128 bits; the usual Σx²/n − mean² loses it all to rounding.
        var scaledVariance = ((Int128)_count * _sumOfSquares) - ((Int128)_sum * _sum);
        return ((double)_sum / _count) + (k * Math.Sqrt((double)scaledVariance) / _count);
    }
}
