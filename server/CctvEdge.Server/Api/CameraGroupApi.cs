using System.Security.Claims;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>What an admin puts to save a group: its name and its cameras in tile order.</summary>
internal sealed record CameraGroupRequest(string? Name, IReadOnlyList<CameraKey>? Cameras);

/// <summary>
/// Saved camera groups for the live grid and the wall (<c>/live?group=Barn</c>): anyone may list them, admins save
/// and delete them. The REST API and the live page's editor share this validation.
/// </summary>
internal static class CameraGroupApi
{
    public const int MaxNameLength = 60;

    /// <summary>A wall of more tiles than this is unreadable, and the grid pages them anyway.</summary>
    public const int MaxCameras = 64;

    public static IEndpointRouteBuilder MapCameraGroupApi(this IEndpointRouteBuilder endpoints)
    {
        var groups = endpoints.MapGroup("/api/camera-groups").WithTags("Live");
        groups.MapGet("", ListAsync).WithSummary("Every saved camera group, by name, with its cameras in tile order.");
        groups.MapPost("", async (CameraGroupRequest request, ClaimsPrincipal user, CameraGroupStore store, NodeStore nodes, TimeProvider clock, CancellationToken ct) =>
            await SaveAsync(null, request, Actor(user), store, nodes, clock, ct) is var (saved, status, errors) && saved is not null
                ? Results.Created($"/api/camera-groups/{saved.Id}", saved)
                : errors.Refusal(status, "The camera group is not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Save a new camera group.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        groups.MapPut("/{id:long}", async (long id, CameraGroupRequest request, ClaimsPrincipal user, CameraGroupStore store, NodeStore nodes, TimeProvider clock, CancellationToken ct) =>
            await SaveAsync(id, request, Actor(user), store, nodes, clock, ct) is var (saved, status, errors) && saved is not null
                ? Results.Ok(saved)
                : errors.Refusal(status, "The camera group is not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Rename a camera group or replace its cameras.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        groups.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, CameraGroupStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Delete a camera group (its cameras stay).");
        return endpoints;
    }

    /// <summary>Every group (the API's, the live page's and the grid's list).</summary>
    public static async Task<IReadOnlyList<CameraGroup>> ListAsync(CameraGroupStore store, CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(Group).ToList();

    /// <summary>
    /// Validates and saves a group; the saved group, or the status that refuses it (400 with each field's error, 404
    /// for an unknown id, 409 for a name another group has) and why. The API's and the live page's path.
    /// </summary>
    public static async Task<(CameraGroup? Saved, int Status, QueryErrors Errors)> SaveAsync(
        long? id, CameraGroupRequest request, string by, CameraGroupStore store, NodeStore nodes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            errors.Add("name", $"must be 1 to {MaxNameLength} characters.");
        }

        var cameras = (request.Cameras ?? []).Distinct().ToList();
        if (cameras.Count is 0 or > MaxCameras)
        {
            errors.Add("cameras", $"must name 1 to {MaxCameras} cameras (was {cameras.Count}).");
        }
        else
        {
            var known = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).Select(c => new CameraKey(c.NodeId, c.Id)).ToHashSet();
            foreach (var unknown in cameras.Where(c => !known.Contains(c)))
            {
                errors.Add("cameras", Identifier.IsValid(unknown.NodeId) && Identifier.IsValid(unknown.CameraId)
                    ? $"'{unknown}' is not a camera of any node."
                    : $"'{unknown}' is not a camera key: nodeId and cameraId are each {Identifier.Rule}.");
            }
        }

        if (errors.Any)
        {
            return (null, StatusCodes.Status400BadRequest, errors);
        }

        var (outcome, savedId) = await store.SaveAsync(id, name, cameras.Select(c => c.ToString()), by, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SaveOutcome.Saved:
                return (new CameraGroup(savedId, name, cameras, by, clock.GetUtcNow()), StatusCodes.Status200OK, errors);
            case SaveOutcome.NameTaken:
                errors.Add("name", $"'{name}' is taken by group #{savedId}.");
                return (null, StatusCodes.Status409Conflict, errors);
            default:
                errors.Add("id", $"there is no camera group #{id}.");
                return (null, StatusCodes.Status404NotFound, errors);
        }
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "";

    private static CameraGroup Group(CameraGroupRow row) => new(
        row.Id,
        row.Name,
        row.Cameras.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(CameraKey.Parse).OfType<CameraKey>().ToList(),
        row.UpdatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedMs));
}
