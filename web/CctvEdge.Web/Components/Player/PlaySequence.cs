namespace CctvEdge.Web.Components.Player;

/// <summary>
/// The filtered events of a day in the order "play all" plays them: oldest first, or newest first backwards (each clip
/// itself still plays forwards). Events are named by their row's first id, as the player's URL names them.
/// </summary>
internal sealed class PlaySequence
{
    public const string Forward = "forward";
    public const string Backward = "backward";

    private readonly List<long> _order;

    /// <param name="chronological">The events' ids, oldest first.</param>
    public PlaySequence(IEnumerable<long> chronological, bool backward)
    {
        _order = backward ? chronological.Reverse().ToList() : chronological.ToList();
        IsBackward = backward;
    }

    public bool IsBackward { get; }

    public string Direction => IsBackward ? Backward : Forward;

    public int Count => _order.Count;

    public long? First => _order.Count > 0 ? _order[0] : null;

    /// <summary>"forward" or "backward" from the URL; anything else is not a sequence.</summary>
    public static bool TryParse(string? play, out bool backward)
    {
        backward = play == Backward;
        return play is Forward or Backward;
    }

    /// <summary>1-based place of <paramref name="eventId"/> in play order, or 0 when it is not in the sequence.</summary>
    public int Position(long eventId) => _order.IndexOf(eventId) + 1;

    /// <summary>The event <paramref name="steps"/> places on in play order (negative: back), or null past either end.</summary>
    public long? After(long eventId, int steps)
    {
        var index = _order.IndexOf(eventId);
        var next = index + steps;
        return index < 0 || next < 0 || next >= _order.Count ? null : _order[next];
    }
}
