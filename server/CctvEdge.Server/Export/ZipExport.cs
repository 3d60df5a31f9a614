using System.Globalization;
using System.IO.Compression;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Export;

/// <summary>
/// <c>GET /api/export.zip?cameras=node.camera,...&amp;from=ISO&amp;to=ISO</c>: the clips streamed into a zip as they are
/// read (nothing is staged on the server), stored uncompressed (video does not compress), with a manifest of the
/// node's sha256 and the sha256 of the bytes sent, and a SHA256SUMS file, both at the end.
/// </summary>
internal static partial class ZipExport
{
    public static IEndpointRouteBuilder MapZipExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/export.zip", ExportAsync);
        return endpoints;
    }

    /// <summary>The selection from the query string, or why it is not one.</summary>
    internal static (ExportSelection? Selection, string? Problem) Parse(string? cameras, string? from, string? to)
    {
        var keys = new List<CameraKey>();
        foreach (var text in (cameras ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (CameraKey.Parse(text) is not { } key || !Identifier.IsValid(key.NodeId) || !Identifier.IsValid(key.CameraId))
            {
                return (null, $"'{text}' is not node.camera.");
            }

            keys.Add(key);
        }

        if (!DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            || !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) || end <= start)
        {
            return (null, "from and to must be times (ISO 8601) with to after from.");
        }

        return (new ExportSelection(keys, start, end), null);
    }

    private static async Task<Results<EmptyHttpResult, BadRequest<string>>> ExportAsync(HttpContext http, ExportClips export, ILoggerFactory loggers, string? cameras, string? from, string? to, CancellationToken ct)
    {
        var (selection, problem) = Parse(cameras, from, to);
        if (selection is null)
        {
            return TypedResults.BadRequest(problem!);
        }

        var items = await export.SelectAsync(selection, ct);
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=cctvedge-{selection.From.UtcDateTime:yyyyMMdd'T'HHmm}-{selection.To.UtcDateTime:yyyyMMdd'T'HHmm}.zip";
        var entries = new List<ManifestEntry>();
        await using var body = new DeferredSyncWriteStream(http.Response.Body);
        var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await using (zip.ConfigureAwait(false))
        {
            foreach (var item in items)
            {
                var entry = zip.CreateEntry(item.EntryPath, CompressionLevel.NoCompression);
                entry.LastWriteTime = DateTimeOffset.FromUnixTimeMilliseconds(item.Clip.StartMs);
                var stream = await entry.OpenAsync(ct);
                await using (stream.ConfigureAwait(false))
                {
                    entries.Add(ExportClips.Entry(item, await export.CopyHashingAsync(item, stream, null, ct)));
                }

                if (!entries[^1].Verified)
                {
                    LogMismatch(loggers.CreateLogger(typeof(ZipExport)), item.Clip.Id, entries[^1].Sha256, entries[^1].ExportedSha256);
                }
            }

            await AddAsync(zip, ExportClips.ManifestName, ExportClips.Manifest(selection, entries), ct);
            await AddAsync(zip, ExportClips.ChecksumsName, ExportClips.Checksums(entries), ct);
        }

        // The central directory, written by the archive's disposal.
        await body.FlushAsync(ct);
        return TypedResults.Empty;
    }

    private static async Task AddAsync(ZipArchive zip, string name, byte[] bytes, CancellationToken ct)
    {
        var stream = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, ct);
        }
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Error, Message = "Export: clip {ClipId} on disk does not match its sha256 ({Expected}, read {Actual}); the manifest marks it.")]
    private static partial void LogMismatch(ILogger logger, string clipId, string expected, string actual);
}
