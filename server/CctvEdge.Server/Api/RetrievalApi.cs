using System.Security.Claims;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Api;

/// <summary>The body of <c>POST /api/retrievals</c>.</summary>
internal sealed record RetrievalRequest(string? Node, string? Camera, string? From, string? To);

/// <summary>
/// Video fetched from a node's own store on demand (issue 18): <c>POST /api/retrievals</c>
/// <c>{"node", "camera", "from", "to"}</c> asks for a range, <c>GET /api/retrievals/{id}</c> follows it
/// (pending while the node is offline, sent, accepted, uploading, done with the clip's address, or refused with what
/// the node holds), <c>GET /api/retrievals</c> lists them.
/// </summary>
internal static class RetrievalApi
{
    public static IEndpointRouteBuilder MapRetrievalApi(this IEndpointRouteBuilder endpoints)
    {
        var retrievals = endpoints.MapGroup("/api/retrievals").WithTags("Retrievals");
        retrievals.MapPost("", RequestAsync)
            .RequireAuthorization(ApiScopes.ReviewPolicy)
            .WithSummary("Fetch a range of a camera's video (at most 30 minutes) from the node's own store; it comes back as a clip with reason retrieval. A node that is offline is asked when it returns.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        retrievals.MapGet("/{id}", async (string id, RetrievalStore store, CancellationToken ct) =>
                ClipIds.IsValid(id) && await store.FindAsync(id, ct) is { } row ? Results.Ok(View(row)) : Results.NotFound())
            .WithSummary("A retrieval: its state (pending, sent, accepted, uploading, done, refused), the node's reason when refused, and the clip once it exists.");
        retrievals.MapGet("", ListAsync)
            .WithSummary("Retrievals, newest first, of a node (?node=) and camera (?camera=) or of all; limit 1..1000 (100).")
            .ProducesValidationProblem();
        endpoints.MapGet("/api/nodes/{node}/cameras/{camera}/recorded", async (string node, string camera, RetrievalStore store, CancellationToken ct) =>
                await store.RecordedAsync(node, camera, ct) is { } recorded ? Results.Ok(recorded.Select(r => new { From = r.Start, To = r.End })) : Results.NotFound())
            .WithTags("Retrievals")
            .WithSummary("The runs of video the camera's node last reported holding in its own store, oldest first: what a retrieval may fetch.");
        return endpoints;
    }

    private static async Task<IResult> RequestAsync(RetrievalRequest? body, ClaimsPrincipal user, RetrievalStore store, VideoRetrievals retrievals, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var (node, camera) = (body?.Node ?? "", body?.Camera ?? "");
        CheckIds(errors, node, camera);

        var from = Required(errors, body?.From, "from");
        var to = Required(errors, body?.To, "to");
        if (from is { } start && to is { } end)
        {
            if (end <= start)
            {
                errors.Add("to", "must be after from.");
            }
            else if (end - start > VideoRetrievals.MaxSpan)
            {
                errors.Add("to", $"must be at most {VideoRetrievals.MaxSpan.TotalMinutes:0} minutes after from; ask for several ranges.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem("The retrieval is not valid.");
        }

        var (id, status, problem) = await retrievals.TryRequestAsync(node, camera, from!.Value, to!.Value, user.Identity?.Name ?? "unknown", ct);
        return id is null
            ? Results.Problem(problem, statusCode: status)
            : Results.Accepted($"/api/retrievals/{id}", View((await store.FindAsync(id, ct))!));
    }

    private static async Task<IResult> ListAsync(string? node, string? camera, int? limit, RetrievalStore store, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var count = errors.Int(limit, "limit", 100, 1, EventApi.MaxLimit);
        CheckIds(errors, node, camera);
        return errors.Any ? errors.Problem() : Results.Ok((await store.ListAsync(node, camera, count, ct)).Select(View));
    }

    /// <summary>The node and camera ids given (null: not given, a filter left out); empty is given and invalid.</summary>
    private static void CheckIds(QueryErrors errors, string? node, string? camera)
    {
        if (node is not null && !Identifier.IsValid(node))
        {
            errors.Add("node", $"must be a node id: {Identifier.Rule}.");
        }

        if (camera is not null && !Identifier.IsValid(camera))
        {
            errors.Add("camera", $"must be a camera id: {Identifier.Rule}.");
        }
    }

    private static DateTimeOffset? Required(QueryErrors errors, string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(name, "is required: an ISO 8601 time such as 2026-12-05T10:00:00Z.");
            return null;
        }

        return errors.Time(text, name);
    }

    private static object View(RetrievalRow row) => new
    {
        row.Id,
        Node = row.NodeId,
        Camera = row.CameraId,
        From = DateTimeOffset.FromUnixTimeMilliseconds(row.StartMs),
        To = DateTimeOffset.FromUnixTimeMilliseconds(row.EndMs),
        State = row.Progress,
        row.Error,
        row.RequestedBy,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedMs),
        ClipId = row.ClipState is null ? null : row.Id,
        ClipBytes = row.ClipSize,
        ClipUrl = row.Progress == "done" ? $"/media/clips/{row.Id}.mp4" : null,
    };
}
