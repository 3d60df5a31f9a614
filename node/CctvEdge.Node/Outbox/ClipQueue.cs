using CctvEdge.Protocol.V1;
using CctvEdge.Storage;
using Dapper;

namespace CctvEdge.Node.Outbox;

/// <summary>A clip requested and not yet cut.</summary>
internal sealed record ClipJob(string Id, string CameraId, DateTimeOffset Start, DateTimeOffset End, string EventId, string Reason);

/// <summary>What waits in the outbox: clips (count and bytes) and when the oldest waiting result or clip was made.</summary>
internal sealed record ClipQueueStats(long Count, long Bytes, DateTimeOffset? OldestWaiting);

/// <summary>A clip cut and waiting for upload; <paramref name="Reason"/> as the job gave it (motion, continuous, retrieval…).</summary>
internal sealed record PendingClip(string Id, string CameraId, string EventId, DateTimeOffset Start, DateTimeOffset End, long Size, byte[] Sha256, string Path, ulong AnnouncedSequence, string Reason = "");

/// <summary>
/// Clip jobs and cut clips in the outbox database. A job is on disk before the plugin hears it was accepted. A cut
/// clip becomes visible in one transaction that inserts its row and its announcement (and thumbnail) results and
/// removes its job, so a crash leaves either the job (cut again) or the clip, never both or neither.
/// </summary>
internal sealed class ClipQueue(SqliteDatabase database, DurableResultOutbox results, TimeProvider clock)
{
    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(database.Path)!, "outbox");

    /// <summary>Raised after a job was committed, so the clip cutter looks at it at once.</summary>
    public event Action? JobAdded;

    public async Task AddJobAsync(ClipJob job, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) => InsertJobAsync(connection, transaction, job), cancellationToken).ConfigureAwait(false);
        JobAdded?.Invoke();
    }

    /// <summary>
    /// Adds a job unless one with its id is queued or was cut and still waits for upload: a command repeated after a
    /// lost reply queues nothing twice. Returns whether it was added.
    /// </summary>
    public async Task<bool> AddJobOnceAsync(ClipJob job, CancellationToken cancellationToken)
    {
        var added = await database.WriteAsync(async (connection, transaction) =>
        {
            var known = await connection.ExecuteScalarAsync<long>(
                "SELECT (SELECT COUNT(*) FROM clip_jobs WHERE id = @Id) + (SELECT COUNT(*) FROM clips WHERE id = @Id)", new { job.Id }, transaction).ConfigureAwait(false);
            return known > 0 ? 0 : await InsertJobAsync(connection, transaction, job).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (added > 0)
        {
            JobAdded?.Invoke();
        }

        return added > 0;
    }

    /// <summary>
    /// Settles the camera's ended events in a window whose clip the upload policy keeps on the node: they were
    /// handled as the policy says, and a restart must not tell them to the recorder again.
    /// </summary>
    public Task SettleEventsAsync(string cameraId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => OpenEventRows.SettleAsync(connection, transaction, cameraId, start, end), cancellationToken);

    /// <summary>The windows of the jobs not yet cut for a camera: the ring must keep their video.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)>> PinnedAsync(string cameraId, CancellationToken cancellationToken) =>
        (await JobsAsync(cancellationToken).ConfigureAwait(false)).Where(j => j.CameraId == cameraId).Select(j => (j.Start, j.End)).ToList();

    /// <summary>Adds a job and sets a state value in one commit (continuous recording's window and its job).</summary>
    public Task AddJobAsync(ClipJob job, string stateKey, string stateValue, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await InsertJobAsync(connection, transaction, job).ConfigureAwait(false);
            return await SetStateAsync(connection, transaction, stateKey, stateValue).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<ClipJob>> JobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string CameraId, long StartMs, long EndMs, string EventId, string Reason)>(
            "SELECT id, camera_id, start_ms, end_ms, event_id, reason FROM clip_jobs ORDER BY end_ms, created_ms").ConfigureAwait(false);
        return rows.Select(r => new ClipJob(r.Id, r.CameraId, FromMs(r.StartMs), FromMs(r.EndMs), r.EventId, r.Reason)).ToList();
    }

    public Task DropJobAsync(string jobId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync("DELETE FROM clip_jobs WHERE id = @Id", new { Id = jobId }, transaction), cancellationToken);

    /// <summary>
    /// Turns a job into a clip: the file at <paramref name="clip"/>.Path must already be in the outbox directory and
    /// fsynced. Appends the clip's announcement and its thumbnail (when given) as results in the same transaction.
    /// </summary>
    public async Task CompleteJobAsync(PendingClip clip, string reason, byte[]? thumbnailJpeg, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (last, count) = await database.WriteAsync(async (connection, transaction) =>
        {
            var announce = new Result
            {
                CameraId = clip.CameraId,
                PluginId = "recording",
                ProducedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now),
                Clip = new ClipInfo
                {
                    ClipId = clip.Id,
                    Start = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(clip.Start),
                    End = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(clip.End),
                    Size = (ulong)clip.Size,
                    Sha256 = Google.Protobuf.ByteString.CopyFrom(clip.Sha256),
                    EventId = clip.EventId,
                    Reason = reason,
                    ContentType = "video/mp4",
                },
            };
            var sequence = await ResultRows.InsertAsync(connection, transaction, announce, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
            var inserted = 1;
            if (thumbnailJpeg is { Length: > 0 })
            {
                var thumbnail = new Result
                {
                    CameraId = clip.CameraId,
                    PluginId = "recording",
                    ProducedAt = announce.ProducedAt,
                    File = new FileBlob { Kind = "thumbnail", Name = clip.Id + ".jpg", ContentType = "image/jpeg", Data = Google.Protobuf.ByteString.CopyFrom(thumbnailJpeg), EventId = clip.EventId, ClipId = clip.Id },
                };
                await ResultRows.InsertAsync(connection, transaction, thumbnail, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
                inserted++;
            }

            await connection.ExecuteAsync(
                """
                INSERT INTO clips (id, camera_id, event_id, reason, start_ms, end_ms, size, sha256, path, announced_sequence, created_ms)
                VALUES (@Id, @CameraId, @EventId, @Reason, @Start, @End, @Size, @Sha256, @Path, @Announced, @Now)
                """,
                new
                {
                    clip.Id,
                    clip.CameraId,
                    clip.EventId,
                    Reason = reason,
                    Start = clip.Start.ToUnixTimeMilliseconds(),
                    End = clip.End.ToUnixTimeMilliseconds(),
                    clip.Size,
                    clip.Sha256,
                    clip.Path,
                    Announced = (long)sequence,
                    Now = now.ToUnixTimeMilliseconds(),
                },
                transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM clip_jobs WHERE id = @Id", new { clip.Id }, transaction).ConfigureAwait(false);
            // A clip made without a job (a push camera's burst) settles its events here; for a cut job this repeats
            // what the job's insert did.
            await OpenEventRows.SettleAsync(connection, transaction, clip.CameraId, clip.Start, clip.End).ConfigureAwait(false);
            return (sequence + (ulong)inserted - 1, inserted);
        }, cancellationToken).ConfigureAwait(false);
        results.OnAppendedElsewhere(last, count);
    }

    /// <summary>The oldest clip whose announcement the server has acknowledged, or null.</summary>
    public async Task<PendingClip?> NextToUploadAsync(ulong acknowledgedSequence, CancellationToken cancellationToken) =>
        (await UploadableAsync(acknowledgedSequence, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The oldest clips whose announcement the server has acknowledged, oldest first: the upload policy picks among them.</summary>
    public async Task<IReadOnlyList<PendingClip>> UploadableAsync(ulong acknowledgedSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClipRow>(
            "SELECT * FROM clips WHERE announced_sequence <= @Acked ORDER BY created_ms, id LIMIT @Limit",
            new { Acked = (long)acknowledgedSequence, Limit = limit }).ConfigureAwait(false);
        return rows.Select(r => r.ToClip()).ToList();
    }

    /// <summary>The oldest clips first, for the disk guard.</summary>
    public async Task<IReadOnlyList<PendingClip>> OldestAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClipRow>("SELECT * FROM clips ORDER BY created_ms, id LIMIT @Count", new { Count = count }).ConfigureAwait(false);
        return rows.Select(r => r.ToClip()).ToList();
    }

    /// <summary>
    /// The clips waiting (count and bytes) and when the oldest result or clip still waiting for the server was made
    /// (both live in the outbox database; null when nothing waits), in one query: the fleet page shows that age, since
    /// a backlog that only grows older is a link that is down.
    /// </summary>
    public async Task<ClipQueueStats> StatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (count, bytes, oldestClip, oldestResult) = await connection.QuerySingleAsync<(long, long, long?, long?)>(
            """
            SELECT COUNT(*), COALESCE(SUM(size), 0), MIN(created_ms), (SELECT created_ms FROM results ORDER BY sequence LIMIT 1)
            FROM clips
            """).ConfigureAwait(false);
        var oldest = new[] { oldestClip, oldestResult }.Min();
        return new ClipQueueStats(count, bytes, oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    /// <summary>Forgets a clip (uploaded, or dropped by the disk guard) and deletes its file.</summary>
    public async Task RemoveAsync(PendingClip clip, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync("DELETE FROM clips WHERE id = @Id", new { clip.Id }, transaction), cancellationToken).ConfigureAwait(false);
        File.Delete(FullPath(clip));
    }

    public string FullPath(PendingClip clip) => System.IO.Path.Combine(Directory, clip.Path);

    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>("SELECT value FROM state WHERE key = @Key", new { Key = key }).ConfigureAwait(false);
    }

    public Task SetStateAsync(string key, string value, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => SetStateAsync(connection, transaction, key, value), cancellationToken);

    public async Task<IReadOnlyList<string>> ClipIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT id FROM clips").ConfigureAwait(false)).ToList();
    }

    /// <summary>Inserts a job and, in the same commit, settles the ended events whose end it covers.</summary>
    private async Task<int> InsertJobAsync(Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction transaction, ClipJob job)
    {
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO clip_jobs (id, camera_id, start_ms, end_ms, event_id, reason, created_ms)
            VALUES (@Id, @CameraId, @Start, @End, @EventId, @Reason, @Now)
            """,
            new { job.Id, job.CameraId, Start = job.Start.ToUnixTimeMilliseconds(), End = job.End.ToUnixTimeMilliseconds(), job.EventId, job.Reason, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        await OpenEventRows.SettleAsync(connection, transaction, job.CameraId, job.Start, job.End).ConfigureAwait(false);
        return inserted;
    }

    private static Task<int> SetStateAsync(Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction transaction, string key, string value) =>
        connection.ExecuteAsync("INSERT INTO state (key, value) VALUES (@Key, @Value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", new { Key = key, Value = value }, transaction);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed record ClipRow
    {
        public string Id { get; init; } = "";
        public string CameraId { get; init; } = "";
        public string EventId { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public long Size { get; init; }
        public byte[] Sha256 { get; init; } = [];
        public string Path { get; init; } = "";
        public long AnnouncedSequence { get; init; }

        public string Reason { get; init; } = "";

        public PendingClip ToClip() => new(Id, CameraId, EventId, FromMs(StartMs), FromMs(EndMs), Size, Sha256, Path, (ulong)AnnouncedSequence, Reason);
    }
}
