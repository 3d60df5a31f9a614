namespace CctvEdge.Server.Storage;

/// <summary>
/// Which events to read, in the store's own terms: a span of start times in Unix milliseconds and exact column values.
/// The view layer turns a page's filter (a local day, a camera picked from a list) into one of these.
/// </summary>
internal sealed record EventQuery
{
    /// <summary>First start time included, Unix milliseconds.</summary>
    public long FromMs { get; init; }

    /// <summary>First start time no longer included, Unix milliseconds.</summary>
    public long ToMs { get; init; } = long.MaxValue;

    /// <summary>Only this node's events, of any camera.</summary>
    public string? NodeId { get; init; }

    /// <summary>Only the events of nodes in this site (the fleet page's grouping).</summary>
    public string? Site { get; init; }

    public CameraRef? Camera { get; init; }

    public string? Kind { get; init; }

    public string? Zone { get; init; }

    /// <summary>Only events whose payload's detection labels name this one (any case).</summary>
    public string? Label { get; init; }

    public bool? Acknowledged { get; init; }

    public bool? Flagged { get; init; }

    /// <summary>Events of one camera and kind less than this apart become one row; 0 for no grouping.</summary>
    public int GroupGapSeconds { get; init; }
}
