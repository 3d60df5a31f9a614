using System.Globalization;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>The REST API: what scripts and tests read without a browser.</summary>
internal static class ServerApi
{
    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (ServerDatabase database, CancellationToken ct) =>
        {
            await using var connection = await database.OpenAsync(ct);
            return Results.Text("ok");
        }).AllowAnonymous();

        var api = endpoints.MapGroup("/api");
        api.MapGet("/nodes", async (IOverviewQuery query, CancellationToken ct) => (await query.GetOverviewAsync(1, ct)).Nodes);
        api.MapEventApi();
        api.MapPost("/nodes/{nodeId}/cameras/{cameraId}/snapshot-request", RequestSnapshot);
        api.MapGet("/clips", ListClipsAsync).WithSummary("The latest clips, newest first.").ProducesValidationProblem();

        api.MapGet("/clips.csv", ClipsCsvAsync).WithSummary("Clips starting in a range of UTC days, as CSV.").ProducesValidationProblem();

        endpoints.MapGet("/media/snapshots/{nodeId}/{cameraFile}", Snapshot);
        endpoints.MapGet("/media/clips/{clipFile}", ClipAsync);
        endpoints.MapGet("/media/files/{fileId:long}", FileAsync);
        return endpoints;
    }

    /// <summary><c>limit</c> 1..1000 (100).</summary>
    private static async Task<IResult> ListClipsAsync(ClipStore clips, int? limit, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var count = errors.Int(limit, "limit", 100, 1, EventApi.MaxLimit);
        if (errors.Any)
        {
            return errors.Problem();
        }

        return TypedResults.Ok((await clips.LatestAsync(count, ct)).Select(c => new
            {
                c.Id,
                c.NodeId,
                c.CameraId,
                c.EventId,
                c.Reason,
                Start = DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs),
                End = DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
                c.Size,
                Sha256 = Convert.ToHexStringLower(c.Sha256),
                c.State,
                Url = c.IsStored ? $"/media/clips/{c.Id}.mp4" : null,
            }));
    }

    /// <summary>
    /// A stored clip, inline so a browser plays it, with range requests so it can seek without downloading it all;
    /// <c>?download=true</c> (or <c>1</c>, as the README promised first) asks the browser to save it instead. A file is
    /// served as it is; an object in a bucket with ranged GETs (<see cref="ClipObjectResult"/>).
    /// </summary>
    private static async Task<IResult> ClipAsync(string clipFile, string? download, ClipStore clips, CancellationToken ct)
    {
        bool save;
        switch (download?.ToLowerInvariant())
        {
            case null or "" or "0" or "false":
                save = false;
                break;
            case "1" or "true":
                save = true;
                break;
            default:
                return TypedResults.BadRequest("download must be true or false.");
        }

        var clipId = clipFile.EndsWith(".mp4", StringComparison.Ordinal) ? clipFile[..^4] : "";
        if (!ClipIds.IsValid(clipId))
        {
            return TypedResults.BadRequest("Not a clip id.");
        }

        var clip = await clips.FindAsync(clipId, ct);
        if (clip is not { IsStored: true, Path: { } key })
        {
            return TypedResults.NotFound();
        }

        var name = save ? clipFile : null;
        if (clips.Objects.LocalPath(key) is { } path)
        {
            return File.Exists(path) ? TypedResults.PhysicalFile(path, clip.ContentType, name, enableRangeProcessing: true) : TypedResults.NotFound();
        }

        // The row is marked stored only after the bucket confirmed the object, so no HEAD per request first.
        return new ClipObjectResult(clips.Objects, key, clip.Size, clip.ContentType, $"\"{Convert.ToHexStringLower(clip.Sha256)}\"", name);
    }

    /// <summary>The clip list as CSV: every clip that starts in [from, to) (UTC days, yyyy-MM-dd; open-ended when missing).</summary>
    /// <summary><c>from</c> and <c>to</c>: UTC days (yyyy-MM-dd), both included; a value that is not a day is refused, not ignored.</summary>
    private static async Task ClipsCsvAsync(HttpContext http, ClipQueries clips, string? from, string? to, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var fromDay = Day(from, "from");
        var toDay = Day(to, "to");
        if (errors.Any)
        {
            await errors.Problem().ExecuteAsync(http);
            return;
        }

        var fromMs = fromDay is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : 0;
        var toMs = toDay is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : long.MaxValue;
        var rows = await clips.StartingInAsync([], fromMs, toMs, storedOnly: false, ct);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=cctvedge-clips.csv";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
        await writer.WriteLineAsync("id,node,camera,start_utc,end_utc,seconds,bytes,sha256,state,flagged,fps");
        foreach (var c in rows)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{c.Id},{c.NodeId},{c.CameraId},{DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{(c.EndMs - c.StartMs) / 1000.0:0.###},{c.Size},{Convert.ToHexStringLower(c.Sha256)},{c.State},{(c.Flagged ? 1 : 0)},{c.Fps}"));
        }

        DateOnly? Day(string? text, string name)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var day = FilterText.ParseDay(text);
            if (day is null)
            {
                errors.Add(name, $"must be a day such as 2026-12-05 (was '{text}').");
            }

            return day;
        }
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> FileAsync(long fileId, EventStore events, MediaStore media, CancellationToken ct)
    {
        var file = await events.FindFileAsync(fileId, ct);
        var path = file is null ? null : Path.Combine(media.Root, file.Path);
        return path is not null && File.Exists(path) ? TypedResults.PhysicalFile(path, file!.ContentType, enableRangeProcessing: true) : TypedResults.NotFound();
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
