using System.Collections.Concurrent;
using System.Data;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Server.Storage.Objects;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage;

/// <summary>A clip's row.</summary>
internal sealed record ClipRow
{
    public string Id { get; init; } = "";
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string EventId { get; init; } = "";
    public string Reason { get; init; } = "";
    public long StartMs { get; init; }
    public long EndMs { get; init; }
    public long Size { get; init; }
    public byte[] Sha256 { get; init; } = [];
    public string ContentType { get; init; } = "video/mp4";
    public string State { get; init; } = "pending";
    public string? Path { get; init; }
    public bool Flagged { get; init; }

    public bool IsStored => State == ClipStore.Stored;
}

/// <summary>
/// Clip rows and their bytes. An upload grows a part file under the clips directory's <c>.uploads</c>; committing a
/// clip hands the verified, fsynced part to the clip object store (<see cref="IClipObjectStore"/>: a rename into place
/// on the filesystem, or a put to S3 the bucket confirms) and only then marks the row stored. A crash before that
/// leaves an orphan object the start-up sweep removes, and the node, without a receipt, uploads again.
/// </summary>
internal sealed partial class ClipStore(ServerDatabase database, IClipObjectStore objects, IOptions<ServerOptions> options, TimeProvider clock, ILogger<ClipStore> logger)
{
    public const string Pending = "pending";
    public const string Stored = "stored";

    // Objects whose delete failed after their row was gone: retried by every retention pass, and found by the
    // start-up sweep if the server stops first, so no object outlives its row for long and none is forgotten.
    private readonly ConcurrentQueue<string> _failedDeletes = new();

    /// <summary>The local clip disk: the filesystem store's files, and every store's uploads in progress.</summary>
    public string Root { get; } = options.Value.ResolvedClipsDirectory;

    public IClipObjectStore Objects => objects;

    public string UploadsDirectory => System.IO.Path.Combine(Root, FileSystemClipObjectStore.UploadsFolder);

    public long MinFreeBytes => (long)options.Value.ClipStoreMinFreeMegabytes * 1024 * 1024;

    /// <summary>Free space on the clip disk; a seam so tests need not fill a real disk for every case.</summary>
    public Func<long> FreeBytes { get; set; } = () => new DriveInfo(options.Value.ResolvedClipsDirectory).AvailableFreeSpace;

    /// <summary>Object deletes that failed and wait for the next retention pass.</summary>
    public int FailedDeletes => _failedDeletes.Count;

    public string PartPath(string clipId) => System.IO.Path.Combine(UploadsDirectory, Checked(clipId) + ".part");

    public async Task<ClipRow?> FindAsync(string clipId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<ClipRow>("SELECT * FROM clips WHERE id = @Id", new { Id = clipId }).ConfigureAwait(false);
    }

    /// <summary>Hands a verified, fsynced part file to the object store and then marks the clip stored.</summary>
    public async Task CommitAsync(ClipRow clip, string partPath, CancellationToken cancellationToken)
    {
        var day = DateTimeOffset.FromUnixTimeMilliseconds(clip.StartMs).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var relative = string.Join('/', Checked(clip.NodeId), Checked(clip.CameraId), day, Checked(clip.Id) + ".mp4");
        await objects.PutAsync(relative, partPath, cancellationToken).ConfigureAwait(false);
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE clips SET state = @Stored, path = @Path, stored_ms = @Now WHERE id = @Id",
                new { Stored, Path = relative, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), clip.Id },
                transaction),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a clip the server made itself (a timelapse) in the order an upload's commit keeps: its row (pending, with
    /// its poster's file row), then the fsynced part file moved into place and the row marked stored. A crash in between
    /// leaves a pending row the next build of the same stills completes.
    /// </summary>
    public async Task StoreOwnAsync(ClipRow clip, double fps, string partPath, (string Path, long Size)? thumbnail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO clips (id, node_id, camera_id, event_id, reason, start_ms, end_ms, size, sha256, content_type, announced_ms, fps)
                VALUES (@Id, @NodeId, @CameraId, '', @Reason, @StartMs, @EndMs, @Size, @Sha256, @ContentType, @Now, @Fps)
                ON CONFLICT (id) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, fps = excluded.fps
                """,
                new { clip.Id, clip.NodeId, clip.CameraId, clip.Reason, clip.StartMs, clip.EndMs, clip.Size, clip.Sha256, clip.ContentType, Now = now, Fps = fps },
                transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM files WHERE clip_id = @Id", new { clip.Id }, transaction).ConfigureAwait(false);
            if (thumbnail is { } poster)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO files (node_id, camera_id, plugin_id, event_id, clip_id, kind, name, content_type, size, path, created_ms)
                    VALUES (@NodeId, @CameraId, @Reason, '', @Id, 'thumbnail', @Name, 'image/jpeg', @Size, @Path, @Now)
                    """,
                    new { clip.NodeId, clip.CameraId, clip.Reason, clip.Id, Name = clip.Id + ".jpg", poster.Size, poster.Path, Now = now },
                    transaction).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        await CommitAsync(clip, partPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a clip: the row first, then its object and files, so a crash or a failed delete in between leaves only
    /// an orphan (retried, and swept at start), never a row that names nothing.
    /// </summary>
    public async Task DeleteAsync(ClipRow clip, CancellationToken cancellationToken)
    {
        var thumbnails = await database.WriteAsync(async (connection, transaction) =>
        {
            var paths = (await connection.QueryAsync<string>("SELECT path FROM files WHERE clip_id = @Id", new { clip.Id }, transaction).ConfigureAwait(false)).ToList();
            await connection.ExecuteAsync("DELETE FROM files WHERE clip_id = @Id", new { clip.Id }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM clips WHERE id = @Id", new { clip.Id }, transaction).ConfigureAwait(false);
            return paths;
        }, cancellationToken).ConfigureAwait(false);
        if (clip.Path is not null)
        {
            await DeleteObjectAsync(clip.Path, cancellationToken).ConfigureAwait(false);
        }

        foreach (var thumbnail in thumbnails)
        {
            File.Delete(System.IO.Path.Combine(options.Value.ResolvedDataDirectory, thumbnail));
        }
    }

    /// <summary>The latest announced clips, stored or not, newest first.</summary>
    public async Task<IReadOnlyList<ClipRow>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ClipRow>("SELECT * FROM clips ORDER BY start_ms DESC, id LIMIT @Count", new { Count = Math.Clamp(count, 1, 10_000) }).ConfigureAwait(false)).ToList();
    }

    public async Task<IReadOnlyList<ClipRow>> StoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ClipRow>("SELECT * FROM clips WHERE state = @Stored ORDER BY start_ms, id", new { Stored }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Retries the object deletes that failed since the last pass; returns how many still fail.</summary>
    public async Task<int> RetryFailedDeletesAsync(CancellationToken cancellationToken)
    {
        for (var count = _failedDeletes.Count; count > 0 && _failedDeletes.TryDequeue(out var key); count--)
        {
            await DeleteObjectAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return _failedDeletes.Count;
    }

    /// <summary>
    /// At start: removes clip objects no stored row names (a crash between the put and the row, or a delete that never
    /// succeeded), local copies left by a crash, and part files untouched for a week (uploads their nodes gave up on).
    /// Returns what it removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> SweepOrphansAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UploadsDirectory);
        var named = (await StoredAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        await foreach (var key in objects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!named.Contains(key))
            {
                await objects.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                removed.Add(key);
            }
        }

        foreach (var part in Directory.EnumerateFiles(UploadsDirectory, "*.part"))
        {
            if (clock.GetUtcNow() - File.GetLastWriteTimeUtc(part) > TimeSpan.FromDays(7))
            {
                File.Delete(part);
                removed.Add(part);
            }
        }

        foreach (var copy in Directory.EnumerateFiles(UploadsDirectory, "*" + LocalClip.Extension))
        {
            File.Delete(copy);
            removed.Add(copy);
        }

        return removed;
    }

    /// <summary>
    /// The clip as a local file, for what reads files (its MP4 boxes, ffmpeg): the file itself on the filesystem, or a
    /// temporary copy on the clip disk that disposing deletes.
    /// </summary>
    public async Task<LocalClip> LocalCopyAsync(string key, CancellationToken cancellationToken)
    {
        if (objects.LocalPath(key) is { } path)
        {
            return new LocalClip(path, isCopy: false);
        }

        Directory.CreateDirectory(UploadsDirectory);
        var copy = new LocalClip(System.IO.Path.Combine(UploadsDirectory, Guid.NewGuid().ToString("N") + LocalClip.Extension), isCopy: true);
        try
        {
            await using var source = await objects.GetAsync(key, 0, null, cancellationToken).ConfigureAwait(false);
            await using var target = new FileStream(copy.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            return copy;
        }
        catch
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DeleteObjectAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await objects.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failedDeletes.Enqueue(key);
            LogDeleteFailed(logger, key, objects.Location, ex.Message);
        }
    }

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "Could not delete clip object {Key} from {Location} ({Error}); its row is gone, and the delete is retried by the next retention pass.")]
    private static partial void LogDeleteFailed(ILogger logger, string key, string location, string error);

    private static string Checked(string id) =>
        ClipIds.IsValid(id) ? id : throw new ArgumentException($"'{id}' is not a valid id.", nameof(id));
}
