using System.Globalization;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>A clip with its thumbnail, for the player, the storage list and exports.</summary>
internal sealed record ClipListRow
{
    public string Id { get; init; } = "";
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public long StartMs { get; init; }
    public long EndMs { get; init; }
    public long Size { get; init; }
    public byte[] Sha256 { get; init; } = [];
    public string State { get; init; } = "";
    public string Reason { get; init; } = "";
    public string? Path { get; init; }
    public double? Fps { get; init; }
    public bool Flagged { get; init; }
    public long? ThumbnailId { get; init; }
}

/// <summary>Bytes of stored clips per camera and day (UTC days: the clip store's folders).</summary>
internal sealed record DailyBytesRow
{
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string Day { get; init; } = "";
    public long Bytes { get; init; }
    public long Clips { get; init; }
}

/// <summary>Reads clips by camera and time for the player, the storage page and exports.</summary>
internal sealed class ClipQueries(ServerDatabase database)
{
    private const long DayMs = 86_400_000;

    // Day 0 of Unix time (1970-01-01) as a DateOnly day number.
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private const string Columns =
        "k.id, k.node_id, k.camera_id, k.start_ms, k.end_ms, k.size, k.sha256, k.state, k.reason, k.path, k.fps, k.flagged, " +
        "(SELECT f.id FROM files f WHERE f.clip_id = k.id AND f.kind = 'thumbnail' ORDER BY f.id LIMIT 1) AS thumbnail_id";

    /// <summary>The clips of <paramref name="camera"/> that overlap [from, to], oldest first.</summary>
    public async Task<IReadOnlyList<ClipListRow>> OverlappingAsync(CameraRef camera, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClipListRow>(
            $"SELECT {Columns} FROM clips k WHERE {ClipIds.OverlapSql("k", "@NodeId", "@CameraId", "@From", "@To")} ORDER BY k.start_ms, k.id",
            new { camera.NodeId, camera.CameraId, From = fromMs, To = toMs }).ConfigureAwait(false);
        return rows.ToList();
    }

    public async Task<ClipListRow?> FindAsync(string clipId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<ClipListRow>($"SELECT {Columns} FROM clips k WHERE k.id = @Id", new { Id = clipId }).ConfigureAwait(false);
    }

    /// <summary>Each camera's newest stored clip of <paramref name="reason"/> (the overview's latest timelapse).</summary>
    public async Task<IReadOnlyList<ClipListRow>> LatestOfReasonAsync(string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClipListRow>(
            $"""
            SELECT {Columns} FROM clips k
            WHERE k.state = 'stored' AND k.reason = @Reason AND k.start_ms = (
                SELECT MAX(n.start_ms) FROM clips n WHERE n.node_id = k.node_id AND n.camera_id = k.camera_id AND n.state = 'stored' AND n.reason = @Reason)
            ORDER BY k.node_id, k.camera_id
            """,
            new { Reason = reason }).ConfigureAwait(false);
        return rows.ToList();
    }

    /// <summary>Clips (only stored ones, or all) that start in [from, to), by start; all cameras when <paramref name="cameras"/> is empty.</summary>
    public async Task<IReadOnlyList<ClipListRow>> StartingInAsync(IReadOnlyCollection<CameraRef> cameras, long fromMs, long toMs, bool storedOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClipListRow>(
            $"SELECT {Columns} FROM clips k WHERE (@Any OR k.state = 'stored') AND k.start_ms >= @From AND k.start_ms < @To ORDER BY k.start_ms, k.id",
            new { From = fromMs, To = toMs, Any = !storedOnly }).ConfigureAwait(false);
        var wanted = cameras.ToHashSet();
        return rows.Where(r => wanted.Count == 0 || wanted.Contains(new CameraRef(r.NodeId, r.CameraId))).ToList();
    }

    /// <summary>
    /// Bytes per camera and local day of the stored clips that start in [from, to): the days of the process's time zone
    /// (TZ or /etc/localtime), as the pages count them, daylight saving included.
    /// </summary>
    public Task<IReadOnlyList<DailyBytesRow>> DailyBytesAsync(long fromMs, long toMs, string? site, CancellationToken cancellationToken) =>
        DailyBytesAsync(fromMs, toMs, site, TimeZoneInfo.Local, cancellationToken);

    /// <summary>
    /// <see cref="DailyBytesAsync(long, long, string?, CancellationToken)"/> in the days of <paramref name="zone"/>. The
    /// database cannot tell local days (PostgreSQL's zone is the database server's, not ours), so the range is cut where
    /// the zone's offset changes and each piece's days are whole days of its shifted milliseconds.
    /// </summary>
    internal async Task<IReadOnlyList<DailyBytesRow>> DailyBytesAsync(long fromMs, long toMs, string? site, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT node_id, camera_id, (start_ms + @Offset) / {DayMs} AS day_number, CAST(SUM(size) AS BIGINT) AS bytes, COUNT(*) AS clips
            FROM clips WHERE state = 'stored' AND start_ms >= @From AND start_ms < @To{SiteFilter.Sql(site, "node_id")}
            GROUP BY node_id, camera_id, (start_ms + @Offset) / {DayMs}
            """;
        var days = new Dictionary<(string NodeId, string CameraId, long DayNumber), (long Bytes, long Clips)>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var span in ZoneSpans.Of(fromMs, toMs, zone))
        {
            var rows = await connection.QueryAsync<(string NodeId, string CameraId, long DayNumber, long Bytes, long Clips)>(
                new CommandDefinition(sql, new { From = span.FromMs, To = span.ToMs, Offset = span.OffsetMs, Site = site }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var key = (row.NodeId, row.CameraId, row.DayNumber);
                var (bytes, clips) = days.GetValueOrDefault(key);
                days[key] = (bytes + row.Bytes, clips + row.Clips);
            }
        }

        return days.OrderBy(d => d.Key.DayNumber).ThenBy(d => d.Key.NodeId, StringComparer.Ordinal).ThenBy(d => d.Key.CameraId, StringComparer.Ordinal)
            .Select(d => new DailyBytesRow
            {
                NodeId = d.Key.NodeId,
                CameraId = d.Key.CameraId,
                Day = DateOnly.FromDayNumber(UnixEpochDay + (int)d.Key.DayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Bytes = d.Value.Bytes,
                Clips = d.Value.Clips,
            })
            .ToList();
    }

    /// <summary>All stored bytes (of one site's nodes, or all), and the bytes of clips stored before <paramref name="beforeMs"/> (growth baseline).</summary>
    public async Task<(long Total, long Before)> TotalsAsync(long beforeMs, string? site, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<(long, long)>(
            $"SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN start_ms < @Before THEN size ELSE 0 END), 0) AS BIGINT) FROM clips WHERE state = 'stored'{SiteFilter.Sql(site, "node_id")}",
            new { Before = beforeMs, Site = site }).ConfigureAwait(false);
    }

    /// <summary>Remembers a clip's frame rate once read from its file.</summary>
    public Task SetFpsAsync(string clipId, double fps, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync("UPDATE clips SET fps = @Fps WHERE id = @Id", new { Fps = fps, Id = clipId }, transaction), cancellationToken);
}
