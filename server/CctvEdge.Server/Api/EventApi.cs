using System.Security.Claims;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>
/// Events for scripts and integrators: a filtered, bounded page; acknowledge and flag (admins, or tokens with the review scope), as the review page does.
/// </summary>
internal static class EventApi
{
    /// <summary>The largest page a call may ask for.</summary>
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapEventApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events", ListAsync)
            .WithSummary("Events, newest first, filtered and paged.")
            .ProducesValidationProblem();
        var review = api.MapGroup("/events/{id:long}").RequireAuthorization(ApiScopes.ReviewPolicy);
        MapReviewState(review, "/acknowledge", "Acknowledge an event.", "Take an event's acknowledgement back.", (reviews, id, on, by, ct) => reviews.AcknowledgeAsync([id], on, by, ct));
        MapReviewState(review, "/flag", "Flag an event: its clips are kept whatever the retention.", "Remove an event's flag.", (reviews, id, on, _, ct) => reviews.FlagAsync([id], on, ct));
        return api;
    }

    /// <summary>
    /// <c>limit</c> 1..1000 (50), <c>offset</c> from 0, <c>site</c>, <c>node</c>, <c>camera</c> (with <c>node</c>), <c>kind</c>,
    /// <c>from</c>/<c>to</c> (start times, ISO 8601), <c>acknowledged</c>, <c>flagged</c>.
    /// </summary>
    private static async Task<IResult> ListAsync(
        EventStore events,
        int? limit,
        int? offset,
        string? site,
        string? node,
        string? camera,
        string? kind,
        string? from,
        string? to,
        bool? acknowledged,
        bool? flagged,
        CancellationToken ct)
    {
        var errors = new QueryErrors();
        var count = errors.Int(limit, "limit", 50, 1, MaxLimit);
        var skip = errors.Int(offset, "offset", 0, 0, int.MaxValue);
        var fromAt = errors.Time(from, "from");
        var toAt = errors.Time(to, "to");
        if (camera is not null && node is null)
        {
            errors.Add("camera", "needs node: a camera id is unique within its node.");
        }

        if (fromAt is not null && toAt is not null && toAt <= fromAt)
        {
            errors.Add("to", "must be after from.");
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var query = new EventQuery
        {
            FromMs = fromAt?.ToUnixTimeMilliseconds() ?? 0,
            ToMs = toAt?.ToUnixTimeMilliseconds() ?? long.MaxValue,
            Site = site,
            NodeId = node,
            Camera = camera is null ? null : new CameraRef(node!, camera),
            Kind = kind,
            Acknowledged = acknowledged,
            Flagged = flagged,
        };
        var rows = await events.ListAsync(query, skip, count, ct).ConfigureAwait(false);
        return TypedResults.Ok(rows.Select(OverviewQuery.ToView));
    }

    /// <summary>POST sets a review state, DELETE clears it: 204 once the event is in it (also when it already was), 404 for an unknown or deleted event.</summary>
    private static void MapReviewState(RouteGroupBuilder review, string pattern, string setSummary, string clearSummary, Func<ReviewStore, long, bool, string, CancellationToken, Task<int>> change)
    {
        review.MapPost(pattern, (long id, ClaimsPrincipal user, ReviewStore reviews, EventQueries events, ChangeFeed changes, CancellationToken ct) =>
            SetAsync(id, true, user, reviews, events, changes, change, ct)).WithSummary(setSummary);
        review.MapDelete(pattern, (long id, ClaimsPrincipal user, ReviewStore reviews, EventQueries events, ChangeFeed changes, CancellationToken ct) =>
            SetAsync(id, false, user, reviews, events, changes, change, ct)).WithSummary(clearSummary);
    }

    private static async Task<Results<NoContent, NotFound>> SetAsync(
        long id,
        bool on,
        ClaimsPrincipal user,
        ReviewStore reviews,
        EventQueries events,
        ChangeFeed changes,
        Func<ReviewStore, long, bool, string, CancellationToken, Task<int>> change,
        CancellationToken ct)
    {
        if (await events.FindAsync(id, ct).ConfigureAwait(false) is null)
        {
            return TypedResults.NotFound();
        }

        await ReviewActions.ApplyAsync(changes, change(reviews, id, on, user.Identity?.Name ?? "", ct)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
