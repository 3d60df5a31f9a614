namespace CctvEdge.Node;

/// <summary>
/// Exponential backoff with ±20 % jitter, so a farm of nodes that lost the server at the same moment does not
/// reconnect in lockstep.
/// </summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 30);
        var delay = Math.Min(min.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    public void Reset() => _attempt = 0;
}
