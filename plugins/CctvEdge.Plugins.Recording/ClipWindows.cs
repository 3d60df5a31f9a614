namespace CctvEdge.Plugins.Recording;

/// <summary>A clip to ask for.</summary>
internal sealed record ClipWindow(DateTimeOffset Start, DateTimeOffset End, string EventId);

/// <summary>
/// The clip policy, free of I/O: events padded with pre- and post-roll; an event whose padded start falls inside the
/// pending window joins it; the window is released once its end has passed with no event open; no window is longer
/// than the maximum (a longer one is released in pieces).
/// </summary>
internal sealed class ClipWindows(RecordingSettings settings)
{
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private DateTimeOffset _start;
    private DateTimeOffset _end;
    private string? _eventId;

    private TimeSpan Pre => TimeSpan.FromSeconds(settings.PreRollSeconds);

    private TimeSpan Post => TimeSpan.FromSeconds(settings.PostRollSeconds);

    private TimeSpan Max => TimeSpan.FromSeconds(settings.MaxClipSeconds);

    public bool HasPending => _eventId is not null;

    /// <summary>Takes an event (opened, updated or closed); returns the windows that are now complete.</summary>
    public IReadOnlyList<ClipWindow> OnEvent(string eventId, DateTimeOffset start, DateTimeOffset? end, DateTimeOffset now)
    {
        var released = new List<ClipWindow>();
        if (end is null)
        {
            _open.Add(eventId);
        }
        else
        {
            _open.Remove(eventId);
        }

        var paddedStart = start - Pre;
        var paddedEnd = (end ?? now) + Post;
        if (_eventId is not null && paddedStart > _end)
        {
            released.Add(Release());
        }

        if (_eventId is null)
        {
            (_start, _end, _eventId) = (paddedStart, paddedEnd, eventId);
        }
        else if (paddedEnd > _end)
        {
            _end = paddedEnd;
        }

        released.AddRange(SplitLong());
        return released;
    }

    /// <summary>Called as time passes; returns the windows that are now complete.</summary>
    public IReadOnlyList<ClipWindow> OnTick(DateTimeOffset now)
    {
        if (_eventId is null)
        {
            return [];
        }

        if (_open.Count > 0)
        {
            // An event still going on keeps its clip open.
            _end = Max2(_end, now + Post);
            return SplitLong();
        }

        return now >= _end ? [Release()] : [];
    }

    private List<ClipWindow> SplitLong()
    {
        var pieces = new List<ClipWindow>();
        while (_eventId is not null && _end - _start > Max)
        {
            pieces.Add(new ClipWindow(_start, _start + Max, _eventId));
            _start += Max;
        }

        return pieces;
    }

    private ClipWindow Release()
    {
        var window = new ClipWindow(_start, _end, _eventId!);
        _eventId = null;
        return window;
    }

    private static DateTimeOffset Max2(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
