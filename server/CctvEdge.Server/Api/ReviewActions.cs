using CctvEdge.Server.Accounts;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The review buttons: admins only; every change is pushed to open pages.</summary>
internal sealed class ReviewActions(ReviewStore reviews, CurrentUser current, ChangeFeed changes) : IReviewActions
{
    public Task<int> AcknowledgeAsync(IReadOnlyCollection<long> eventIds, bool acknowledged, CancellationToken cancellationToken) =>
        RunAsync(by => reviews.AcknowledgeAsync(eventIds, acknowledged, by, cancellationToken));

    public Task<int> FlagAsync(IReadOnlyCollection<long> eventIds, bool flagged, CancellationToken cancellationToken) =>
        RunAsync(_ => reviews.FlagAsync(eventIds, flagged, cancellationToken));

    public Task<int> DeleteAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken) =>
        RunAsync(_ => reviews.DeleteAsync(eventIds, cancellationToken));

    public Task<int> AcknowledgeNotificationsAsync(IReadOnlyCollection<long> notificationIds, CancellationToken cancellationToken) =>
        RunAsync(by => reviews.AcknowledgeNotificationsAsync(notificationIds, by, cancellationToken));

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

    private async Task<int> RunAsync(Func<string, Task<int>> change)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        return await ApplyAsync(changes, change(by)).ConfigureAwait(false);
    }
}
