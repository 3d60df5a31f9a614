namespace CctvEdge.Web.Services;

/// <summary>Reads events for the events page and the player.</summary>
public interface IReviewQuery
{
    /// <summary>What the filters offer on a day, for one site's nodes or (null) every node.</summary>
    Task<DayOptions> GetDayOptionsAsync(DateOnly day, string? site, CancellationToken cancellationToken);

    /// <summary>A page of the filtered (and grouped) events, newest first, and how many there are in all.</summary>
    Task<EventPage> GetEventsAsync(EventFilter filter, int skip, int take, CancellationToken cancellationToken);

    /// <summary>The day's timeline per camera (the site and camera filters apply; the others do not).</summary>
    Task<DayTimeline> GetTimelineAsync(EventFilter filter, CancellationToken cancellationToken);

    Task<PlayerModel?> GetEventPlayerAsync(long eventId, CancellationToken cancellationToken);

    Task<PlayerModel?> GetClipPlayerAsync(string clipId, CancellationToken cancellationToken);
}

/// <summary>What reviewers do to events and notifications; admins only (viewers read).</summary>
public interface IReviewActions
{
    /// <summary>Acknowledges (or un-acknowledges) events; returns how many changed.</summary>
    Task<int> AcknowledgeAsync(IReadOnlyCollection<long> eventIds, bool acknowledged, CancellationToken cancellationToken);

    /// <summary>Flags events and, with them, the clips that show them, so retention keeps those clips.</summary>
    Task<int> FlagAsync(IReadOnlyCollection<long> eventIds, bool flagged, CancellationToken cancellationToken);

    /// <summary>Hides events from the app (a soft delete: the rows stay); also unflags them.</summary>
    Task<int> DeleteAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken);

    /// <summary>Marks notifications seen and acknowledges their events.</summary>
    Task<int> AcknowledgeNotificationsAsync(IReadOnlyCollection<long> notificationIds, CancellationToken cancellationToken);
}
