namespace CctvEdge.Node.Plugins;

/// <summary>Thins a camera's frame rate down to a plugin's, keeping the schedule rather than drifting.</summary>
internal sealed class RateThinner(double fps, double sourceFps)
{
    private readonly TimeSpan _period = TimeSpan.FromSeconds(1 / Math.Max(fps, 0.001));

    // Half a source frame of slack absorbs arrival jitter without ever taking a frame one interval early.
    private readonly TimeSpan _slack = TimeSpan.FromSeconds(0.5 / Math.Max(sourceFps, 0.001));
    private DateTimeOffset _nextDue;

    /// <summary>False when every frame is taken (the plugin's rate is the source's or more).</summary>
    public bool Thins { get; } = fps < sourceFps;

    public bool Take(DateTimeOffset timestamp)
    {
        if (!Thins)
        {
            return true;
        }

        var first = _nextDue == default;
        if (!first && timestamp < _nextDue - _slack)
        {
            return false;
        }

        // After a long pause (camera restart), start a new schedule instead of catching up with a burst.
        _nextDue = first || timestamp - _nextDue > _period ? timestamp + _period : _nextDue + _period;
        return true;
    }
}
