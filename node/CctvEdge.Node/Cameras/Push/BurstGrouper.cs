namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// Decides which pictures of a push camera belong together: a picture more than the gap after the last one starts a
/// new burst, and a burst is over once the gap has passed with nothing new plus the time a picture needs to be taken
/// from the inbox (an upload still being written is not seen yet).
/// </summary>
internal sealed class BurstGrouper(TimeSpan gap, TimeSpan settle)
{
    public DateTimeOffset? First { get; private set; }

    public DateTimeOffset? Last { get; private set; }

    public int Count { get; private set; }

    public bool IsOpen => Count > 0;

    /// <summary>Whether a picture taken at <paramref name="at"/> starts a new burst (the open one, if any, ends first).</summary>
    public bool StartsNew(DateTimeOffset at) => Last is not { } last || at - last > gap;

    /// <summary>Adds a picture; pictures that come late (an older file time) stay in the open burst.</summary>
    public void Add(DateTimeOffset at)
    {
        if (StartsNew(at))
        {
            First = Last = at;
            Count = 0;
        }

        First = at < First ? at : First;
        Last = at > Last ? at : Last;
        Count++;
    }

    /// <summary>Whether the open burst has ended by <paramref name="now"/>.</summary>
    public bool IsOver(DateTimeOffset now) => Last is { } last && now - last > gap + settle;

    public void Reset()
    {
        First = Last = null;
        Count = 0;
    }
}
