using System.Data;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage.Database;
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
/// Clip files under the clips directory, laid out by node, camera and day. An upload grows a part file under
/// <c>.uploads</c> (same disk, so the final rename is atomic). Committing a clip: fsync the part, rename it into place,
/// fsync both directories, and only then mark the row stored; a crash before that leaves an orphan file the start-up
/// sweep removes, and the node, without a receipt, uploads again.
/// </summary>
internal sealed class ClipStore(ServerDatabase database, IOptions<ServerOptions> options, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Stored = "stored";

    public string Root { get; } = options.Value.ResolvedClipsDirectory;

    public string UploadsDirectory => System.IO.Path.Combine(Root, ".uploads");

    public long MinFreeBytes => (long)options.Value.ClipStoreMinFreeMegabytes * 1024 * 1024;

    /// <summary>Free space on the clip disk; a seam so tests need not fill a real disk for every case.</summary>
    public Func<long> FreeBytes { get; set; } = () => new DriveInfo(options.Value.ResolvedClipsDirectory).AvailableFreeSpace;

    public string PartPath(string clipId) => System.IO.Path.Combine(UploadsDirectory, Checked(clipId) + ".part");

    public string FullPath(ClipRow clip) => System.IO.Path.Combine(Root, clip.Path ?? throw new InvalidOperationException($"Clip {clip.Id} is not stored."));

    public async Task<ClipRow?> FindAsync(string clipId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<ClipRow>("SELECT * FROM clips WHERE id = @Id", new { Id = clipId }).ConfigureAwait(false);
    }

    /// <summary>Moves a verified, fsynced part file into place and marks the clip stored.</summary>
    public async Task CommitAsync(ClipRow clip, string partPath, CancellationToken cancellationToken)
    {
        var day = DateTimeOffset.FromUnixTimeMilliseconds(clip.StartMs).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var relative = System.IO.Path.Combine(Checked(clip.NodeId), Checked(clip.CameraId), day, Checked(clip.Id) + ".mp4");
        var final = System.IO.Path.Combine(Root, relative);
        var directory = System.IO.Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(directory);
        File.Move(partPath, final, overwrite: true);
        DurableFile.FsyncDirectory(directory);
        DurableFile.FsyncDirectory(UploadsDirectory);
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

    /// <summary>Deletes a clip: the row first, then the files, so a crash in between leaves only an orphan for the sweep.</summary>
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
            File.Delete(FullPath(clip));
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

    /// <summary>
    /// At start: removes clip files no stored row names (a crash between rename and row) and part files untouched for
    /// a week (uploads their nodes gave up on). Returns what it removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> SweepOrphansAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UploadsDirectory);
        var named = (await StoredAsync(cancellationToken).ConfigureAwait(false)).Select(c => System.IO.Path.GetFullPath(FullPath(c))).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "*.mp4", SearchOption.AllDirectories))
        {
            if (!file.StartsWith(UploadsDirectory, StringComparison.Ordinal) && !named.Contains(file))
            {
                File.Delete(file);
                removed.Add(file);
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

        return removed;
    }

    private static string Checked(string id) =>
        ClipIds.IsValid(id) ? id : throw new ArgumentException($"'{id}' is not a valid id.", nameof(id));
}
