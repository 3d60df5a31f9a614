using CctvEdge.Protocol;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>The REST API: what scripts and tests read without a browser.</summary>
internal static class ServerApi
{
    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (Database database, CancellationToken ct) =>
        {
            await using var connection = await database.OpenAsync(ct);
            return Results.Text("ok");
        });

        var api = endpoints.MapGroup("/api");
        api.MapGet("/nodes", async (IOverviewQuery query, CancellationToken ct) => (await query.GetOverviewAsync(1, ct)).Nodes);
        api.MapGet("/events", async (EventStore events, int? limit, string? node, CancellationToken ct) =>
            (await events.LatestAsync(limit ?? 50, node, ct)).Select(OverviewQuery.ToView));
        api.MapPost("/nodes/{nodeId}/cameras/{cameraId}/snapshot-request", RequestSnapshot);

        endpoints.MapGet("/media/snapshots/{nodeId}/{cameraFile}", Snapshot);
        return endpoints;
    }

    private static Results<Accepted, NotFound<string>, BadRequest<string>> RequestSnapshot(string nodeId, string cameraId, SessionRegistry sessions)
    {
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(cameraId))
        {
            return TypedResults.BadRequest($"Ids must be {Identifier.Rule}.");
        }

        var command = new ServerMessage { Command = new Command { CommandId = Guid.NewGuid().ToString("N"), RequestSnapshot = new RequestSnapshot { CameraId = cameraId } } };
        return sessions.TrySend(nodeId, command) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound($"Node '{nodeId}' is not connected.");
    }

    private static Results<PhysicalFileHttpResult, NotFound, BadRequest<string>> Snapshot(string nodeId, string cameraFile, MediaStore media)
    {
        // The ids are checked before they touch a path, so "../" and friends never get near the file system.
        var cameraId = cameraFile.EndsWith(".jpg", StringComparison.Ordinal) ? cameraFile[..^4] : "";
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(cameraId))
        {
            return TypedResults.BadRequest($"Ids must be {Identifier.Rule}.");
        }

        var path = media.SnapshotPath(nodeId, cameraId);
        return File.Exists(path) ? TypedResults.PhysicalFile(path, "image/jpeg", enableRangeProcessing: true) : TypedResults.NotFound();
    }
}
