using System.Security.Claims;
using System.Text.Json.Nodes;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Live;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Authorization;

namespace CctvEdge.Server.Api;

/// <summary>
/// The fleet hub's configuration of a node's cameras: list, add, replace, remove, activate and deactivate cameras,
/// with bodies in the node config file's camera-entry shape. Every change is a new configuration version, pushed to
/// the node at once when it is connected and at its next connection otherwise; the node checks it and applies it
/// live, or refuses it (the reason shows in <c>GET .../config</c>) and keeps running what it had.
/// </summary>
internal static class CameraConfigApi
{
    public static IEndpointRouteBuilder MapCameraConfigApi(this IEndpointRouteBuilder endpoints)
    {
        var node = endpoints.MapGroup("/api/nodes/{nodeId}").WithTags("Node configuration");
        node.MapGet("/cameras", ListCamerasAsync).WithSummary("The node's cameras as configured (the latest version), in the node config file's shape.");
        node.MapGet("/config", ConfigAsync).WithSummary("The latest configuration version, the one the node runs, and a refusal if any.");
        node.MapGet("/config/versions", VersionsAsync).WithSummary("Every configuration version of the node, newest first.");

        var admin = node.MapGroup("").RequireAuthorization(ApiScopes.AdminPolicy);
        admin.MapPost("/cameras", AddCameraAsync).WithSummary("Adds a camera (a camera entry of the node config file).");
        admin.MapPut("/cameras/{cameraId}", ReplaceCameraAsync).WithSummary("Replaces a camera's entry.");
        admin.MapDelete("/cameras/{cameraId}", RemoveCameraAsync).WithSummary("Removes a camera from the node.");
        admin.MapPost("/cameras/{cameraId}/activate", (string nodeId, string cameraId, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
            SwitchAsync(nodeId, cameraId, true, user, changes, ct)).WithSummary("Switches a camera on (Enabled: true).");
        admin.MapPost("/cameras/{cameraId}/deactivate", (string nodeId, string cameraId, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
            SwitchAsync(nodeId, cameraId, false, user, changes, ct)).WithSummary("Switches a camera off (Enabled: false): no video, no plugins, kept in the configuration.");
        admin.MapPost("/config/rollback", RollbackAsync).WithSummary("Makes an earlier version the latest again (as a new version).");
        return endpoints;
    }

    private static async Task<IResult> ListCamerasAsync(string nodeId, NodeConfigStore store, ClaimsPrincipal user, IAuthorizationService authorization, CancellationToken ct)
    {
        if (await LatestAsync(nodeId, store, ct) is not { } latest)
        {
            return UnknownNode(nodeId);
        }

        return TypedResults.Ok(await ForReaderAsync(CameraEntries.Parse(latest.CamerasJson), user, authorization));
    }

    private static async Task<IResult> ConfigAsync(string nodeId, NodeConfigStore store, NodeStore nodes, ClaimsPrincipal user, IAuthorizationService authorization, CancellationToken ct)
    {
        if (await LatestAsync(nodeId, store, ct) is not { } latest || await nodes.FindNodeAsync(nodeId, ct) is not { } node)
        {
            return UnknownNode(nodeId);
        }

        return TypedResults.Ok(new NodeConfigView(
            nodeId,
            latest.Version,
            node.ConfigApplied,
            node.ConfigRefused > 0 ? node.ConfigRefused : null,
            node.ConfigRefused > 0 ? node.ConfigError : null,
            latest.Author,
            DateTimeOffset.FromUnixTimeMilliseconds(latest.CreatedMs),
            latest.Comment,
            await ForReaderAsync(CameraEntries.Parse(latest.CamerasJson), user, authorization)));
    }

    private static async Task<IResult> VersionsAsync(string nodeId, NodeConfigStore store, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return UnknownNode(nodeId);
        }

        var versions = await store.ListAsync(nodeId, ct);
        return versions.Count == 0
            ? UnknownNode(nodeId)
            : TypedResults.Ok(versions.Select(v => new NodeConfigVersionView(v.Version, v.Author, DateTimeOffset.FromUnixTimeMilliseconds(v.CreatedMs), v.Comment)));
    }

    internal static Task<IResult> AddCameraAsync(string nodeId, JsonObject camera, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
        changes.ApplyAsync(nodeId, user, $"camera '{CameraEntries.IdOf(camera)}' added", cameras =>
        {
            if (CameraEntries.IdOf(camera) is not { } id || !Identifier.IsValid(id))
            {
                return ConfigChanges.Invalid(CameraEntries.IdKey, $"Each camera needs an Id: {Identifier.Rule}.");
            }

            if (CameraEntries.IndexOf(cameras, id) >= 0)
            {
                return TypedResults.Problem($"The node already has a camera '{id}'; PUT /api/nodes/{nodeId}/cameras/{id} replaces it.", statusCode: StatusCodes.Status409Conflict);
            }

            cameras.Add(camera.DeepClone());
            return null;
        }, created: true, ct);

    internal static Task<IResult> ReplaceCameraAsync(string nodeId, string cameraId, JsonObject camera, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
        changes.ApplyAsync(nodeId, user, $"camera '{cameraId}' changed", cameras =>
        {
            var at = CameraEntries.IndexOf(cameras, cameraId);
            if (at < 0)
            {
                return UnknownCamera(nodeId, cameraId);
            }

            var entry = (JsonObject)camera.DeepClone();
            switch (CameraEntries.IdOf(entry))
            {
                case null:
                    CameraEntries.Set(entry, CameraEntries.IdKey, cameraId);
                    break;
                case var id when id != cameraId:
                    return ConfigChanges.Invalid(CameraEntries.IdKey, $"The body's Id '{id}' is not the address's '{cameraId}'; a camera keeps its id (remove it and add a new one instead).");
            }

            cameras[at] = entry;
            return null;
        }, created: false, ct);

    internal static Task<IResult> RemoveCameraAsync(string nodeId, string cameraId, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
        changes.ApplyAsync(nodeId, user, $"camera '{cameraId}' removed", cameras =>
        {
            var at = CameraEntries.IndexOf(cameras, cameraId);
            if (at < 0)
            {
                return UnknownCamera(nodeId, cameraId);
            }

            cameras.RemoveAt(at);
            return null;
        }, created: false, ct);

    private static Task<IResult> SwitchAsync(string nodeId, string cameraId, bool on, ClaimsPrincipal user, ConfigChanges changes, CancellationToken ct) =>
        changes.ApplyAsync(nodeId, user, $"camera '{cameraId}' {(on ? "activated" : "deactivated")}", cameras =>
        {
            var at = CameraEntries.IndexOf(cameras, cameraId);
            if (at < 0)
            {
                return UnknownCamera(nodeId, cameraId);
            }

            CameraEntries.Set((JsonObject)cameras[at]!, CameraEntries.EnabledKey, on);
            return null;
        }, created: false, ct);

    internal static async Task<IResult> RollbackAsync(string nodeId, RollbackRequest request, ClaimsPrincipal user, NodeConfigStore store, ConfigChanges changes, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return UnknownNode(nodeId);
        }

        if (await store.FindAsync(nodeId, request.Version, ct) is not { } earlier)
        {
            return ConfigChanges.Invalid("version", $"Node '{nodeId}' has no configuration version {request.Version}.");
        }

        return await changes.ApplyAsync(nodeId, user, $"rollback to version {earlier.Version}", cameras =>
        {
            cameras.Clear();
            foreach (var entry in CameraEntries.Parse(earlier.CamerasJson))
            {
                cameras.Add(entry?.DeepClone());
            }

            return null;
        }, created: false, ct);
    }

    private static async Task<NodeConfigRow?> LatestAsync(string nodeId, NodeConfigStore store, CancellationToken ct) =>
        Identifier.IsValid(nodeId) ? await store.LatestAsync(nodeId, ct) : null;

    private static async Task<JsonArray> ForReaderAsync(JsonArray cameras, ClaimsPrincipal user, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(user, ApiScopes.AdminPolicy)).Succeeded ? cameras : CameraEntries.Redacted(cameras);

    internal static IResult UnknownNode(string nodeId) =>
        TypedResults.Problem($"No node '{nodeId}' has reported a configuration; a node reports its cameras when it first connects.", statusCode: StatusCodes.Status404NotFound);

    private static IResult UnknownCamera(string nodeId, string cameraId) =>
        TypedResults.Problem($"Node '{nodeId}' has no camera '{cameraId}'.", statusCode: StatusCodes.Status404NotFound);

    internal sealed record RollbackRequest(long Version);

    internal sealed record NodeConfigView(
        string NodeId,
        long Version,
        long AppliedVersion,
        long? RefusedVersion,
        string? RefusedReason,
        string Author,
        DateTimeOffset CreatedAt,
        string Comment,
        JsonArray Cameras);

    internal sealed record NodeConfigVersionView(long Version, string Author, DateTimeOffset CreatedAt, string Comment);
}

/// <summary>One configuration change: the latest version edited, saved as the next version, and pushed to the node.</summary>
internal sealed class ConfigChanges(NodeConfigStore store, ConfigSync sync, ChangeFeed feed)
{
    private const int Attempts = 3;

    /// <summary>
    /// Applies <paramref name="edit"/> (null when it made the change, or the error to answer) to the latest version
    /// and saves the result as the next; two changes at once are both kept, the second made on top of the first.
    /// </summary>
    public async Task<IResult> ApplyAsync(string nodeId, ClaimsPrincipal user, string comment, Func<JsonArray, IResult?> edit, bool created, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return CameraConfigApi.UnknownNode(nodeId);
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await store.LatestAsync(nodeId, ct) is not { } latest)
            {
                return CameraConfigApi.UnknownNode(nodeId);
            }

            var cameras = CameraEntries.Parse(latest.CamerasJson);
            if (edit(cameras) is { } refused)
            {
                return refused;
            }

            var author = user.Identity?.Name ?? "unknown";
            if (await store.AddAsync(nodeId, cameras.ToJsonString(), author, comment, latest.Version, ct) is { } saved)
            {
                var pushed = sync.Push(saved);
                feed.Publish(new LiveChange(LiveChangeKind.Node, nodeId, null));
                var change = new ConfigChange(nodeId, saved.Version, pushed, comment);
                return created ? TypedResults.Created($"/api/nodes/{nodeId}/config", change) : TypedResults.Ok(change);
            }
        }

        return TypedResults.Problem("The configuration kept changing under this request; try again.", statusCode: StatusCodes.Status409Conflict);
    }

    public static IResult Invalid(string field, string message)
    {
        var errors = new QueryErrors();
        errors.Add(field, message);
        return errors.Problem("The change is not valid.");
    }

    /// <summary>What a change made: the new version, and whether it went to the node now (false: at its next connection).</summary>
    internal sealed record ConfigChange(string NodeId, long Version, bool Pushed, string Comment);
}
