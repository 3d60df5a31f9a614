using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>
/// The events published on one camera over the last hour, latest state of each, so a clip requested after its
/// post-roll can be judged by every event it shows (a recording plugin names only the first).
/// </summary>
internal sealed class RecentEvents(TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private const int MaxEvents = 1000;
    private readonly Dictionary<string, EventFacts> _events = new(StringComparer.Ordinal);

    public void Record(PluginEvent pluginEvent)
    {
        var facts = new EventFacts(pluginEvent.EventId, pluginEvent.Kind, pluginEvent.Start, pluginEvent.End, pluginEvent.Labels, pluginEvent.Zones);
        lock (_events)
        {
            _events[pluginEvent.EventId] = facts;
            if (_events.Count > MaxEvents)
            {
                Prune();
            }
        }
    }

    /// <summary>The events overlapping a window, and the named event wherever it lies.</summary>
    public IReadOnlyList<EventFacts> Showing(DateTimeOffset start, DateTimeOffset end, string? eventId)
    {
        lock (_events)
        {
            return _events.Values.Where(e => e.Overlaps(start, end) || e.EventId == eventId).ToList();
        }
    }

    private void Prune()
    {
        var before = clock.GetUtcNow() - Keep;
        foreach (var old in _events.Values.Where(e => e.End is { } end && end < before).Select(e => e.EventId).ToList())
        {
            _events.Remove(old);
        }

        // Events that never closed (a plugin stopped mid-event) go oldest first once the cap is still exceeded.
        foreach (var oldest in _events.Values.OrderBy(e => e.Start).Take(_events.Count - MaxEvents).Select(e => e.EventId).ToList())
        {
            _events.Remove(oldest);
        }
    }
}
