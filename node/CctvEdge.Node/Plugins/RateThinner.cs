namespace CctvEdge.Node.Plugins;

/// <summary>Thins a camera's frame rate down to a plugin's, keeping the schedule rather than drifting.</summary>
/// <param name="fps">The plugin's rate.</param>
/// <param name="sourceFps">The source's rate, or null when it may change (colour frames come at the highest rate any
/// plugin asked for): then the gap between the last two frames stands in for it.</param>
internal sealed class RateThinner(double fps, double? sourceFps)
{
    private readonly TimeSpan _period = TimeSpan.FromSeconds(1 / Math.Max(fps, 0.001));
    private DateTimeOffset _nextDue;
    private DateTimeOffset _lastSeen;

    /// <summary>False when every frame is taken (the plugin's rate is the source's or more).</summary>
    public bool Thins { get; } = sourceFps is not { } source || fps < source;

    public bool Take(DateTimeOffset timestamp)
    {
        if (!Thins)
        {
            return true;
        }

        // Half a source frame of slack absorbs arrival jitter without ever taking a frame one interval early.
        var slack = sourceFps is { } source
            ? TimeSpan.FromSeconds(0.5 / source)
            : _lastSeen == default ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Clamp((timestamp - _lastSeen).Ticks / 2, 0, _period.Ticks / 2));
        _lastSeen = timestamp;
        var first = _nextDue == default;
        if (!first && timestamp < _nextDue - slack)
        {
            return false;
        }

        // After a long pause (camera restart), start a new schedule instead of catching up with a burst.
        _nextDue = first || timestamp - _nextDue > _period ? timestamp + _period : _nextDue + _period;
        return true;
    }
}
