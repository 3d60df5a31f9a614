using CctvEdge.Server.Accounts;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The review buttons: admins only; every change is pushed to open pages.</summary>
internal sealed class ReviewActions(ReviewStore reviews, CurrentUser current, ChangeFeed changes, AuditStore audit) : IReviewActions
{
    public Task<int> AcknowledgeAsync(IReadOnlyCollection<long> eventIds, bool acknowledged, CancellationToken cancellationToken) =>
        RunAsync(acknowledged ? "acknowledge" : "clear acknowledgement", "events", eventIds, by => reviews.AcknowledgeAsync(eventIds, acknowledged, by, cancellationToken));

    public Task<int> FlagAsync(IReadOnlyCollection<long> eventIds, bool flagged, CancellationToken cancellationToken) =>
        RunAsync(flagged ? "flag" : "clear flag", "events", eventIds, _ => reviews.FlagAsync(eventIds, flagged, cancellationToken));

    public Task<int> DeleteAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken) =>
        RunAsync("delete", "events", eventIds, _ => reviews.DeleteAsync(eventIds, cancellationToken));

    public Task<int> AcknowledgeNotificationsAsync(IReadOnlyCollection<long> notificationIds, CancellationToken cancellationToken) =>
        RunAsync("acknowledge", "notifications", notificationIds, by => reviews.AcknowledgeNotificationsAsync(notificationIds, by, cancellationToken));

    /// <summary>Runs a review change and, when it changed anything, tells open pages: the one way pages and the REST API change review state.</summary>
    internal static async Task<int> ApplyAsync(ChangeFeed changes, Task<int> change)
    {
        var changed = await change.ConfigureAwait(false);
        if (changed > 0)
        {
            changes.Publish(new LiveChange(LiveChangeKind.Review, "", null));
        }

        return changed;
    }

    private async Task<int> RunAsync(string action, string what, IReadOnlyCollection<long> ids, Func<string, Task<int>> change)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var changed = await ApplyAsync(changes, change(by)).ConfigureAwait(false);
        await audit.PageChangeAsync(by, action, $"{what} {string.Join(',', ids.Take(50))}{(ids.Count > 50 ? $" and {ids.Count - 50} more" : "")}", $"{changed} changed").ConfigureAwait(false);
        return changed;
    }
}
