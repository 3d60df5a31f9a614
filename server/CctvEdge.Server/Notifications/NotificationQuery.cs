using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications;

internal sealed class NotificationQuery(NotificationStore store) : INotificationQuery
{
    public async Task<NotificationPage> GetAsync(bool? acknowledged, string? site, int skip, int take, CancellationToken cancellationToken)
    {
        var rows = await store.PageAsync(acknowledged, site, skip, take, cancellationToken).ConfigureAwait(false);
        var open = await store.CountUnacknowledgedAsync(site, cancellationToken).ConfigureAwait(false);
        return new NotificationPage(rows.Select(ToView).ToList(), (int)(rows.FirstOrDefault()?.Total ?? 0), open);
    }

    private static NotificationView ToView(NotificationRow n) => new(
        n.Id,
        n.EventId,
        n.Rule,
        n.Channel,
        n.Status,
        DateTimeOffset.FromUnixTimeMilliseconds(n.CreatedMs),
        n.AcknowledgedMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        n.AcknowledgedBy,
        n.CameraName,
        n.Kind,
        DateTimeOffset.FromUnixTimeMilliseconds(n.StartMs),
        n.EndMs is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
        n.Flagged);
}
