namespace CctvEdge.Web.Services;

/// <summary>A notification with its event.</summary>
public sealed record NotificationView(
    long Id,
    long EventId,
    string Rule,
    string Channel,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset? Acknowledged,
    string AcknowledgedBy,
    string CameraName,
    string Kind,
    DateTimeOffset EventStart,
    DateTimeOffset? EventEnd,
    bool EventFlagged);

public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int Total, long Unacknowledged);

/// <summary>Reads the notifications the server raised (the web channel; sending channels come later).</summary>
public interface INotificationQuery
{
    /// <summary>Newest first; <paramref name="acknowledged"/> null for all, <paramref name="site"/> null for every site's nodes.</summary>
    Task<NotificationPage> GetAsync(bool? acknowledged, string? site, int skip, int take, CancellationToken cancellationToken);
}
