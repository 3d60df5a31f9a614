using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>A row of the events list: one event, or nearby events of a camera grouped by the dwell gap.</summary>
internal sealed record EventGroupRow
{
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string CameraName { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Ids { get; init; } = "";
    public long StartMs { get; init; }
    public long StopMs { get; init; }
    public bool Open { get; init; }
    public double Peak { get; init; }
    public string ZonesJson { get; init; } = "[]";

    /// <summary>Per event of the row, its payload's detection labels (<c>[[{"label", "score", "box"}, ...], ...]</c>).</summary>
    public string LabelsJson { get; init; } = "[]";
    public bool Acknowledged { get; init; }
    public bool Flagged { get; init; }
    public long Total { get; init; }
    public string? ClipId { get; init; }
    public long? ThumbnailId { get; init; }
}

/// <summary>An event's span, for the timeline.</summary>
internal sealed record EventSpanRow
{
    public long Id { get; init; }
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string Kind { get; init; } = "";
    public long StartMs { get; init; }
    public long StopMs { get; init; }
}

/// <summary>A camera's latest recent event.</summary>
internal sealed record LatestEventRow
{
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string Kind { get; init; } = "";
    public long StartMs { get; init; }
}

/// <summary>
/// The events page's reads. Every query is bounded to one day by <c>start_ms</c>, so it reads a range of the
/// <c>events_by_start</c> index however many days the table holds; grouping by the dwell gap is done in SQL with
/// window functions, so a page of groups costs one pass over the day's filtered events.
/// </summary>
internal sealed class EventQueries(ServerDatabase database)
{
    // A plugin's payload that is not JSON reads as no payload rather than failing the whole query (EventSql).
    private EventSql Sql => EventSql.For(database.Dialect);

    /// <summary>An event as a group of one: the columns of <see cref="EventGroupRow"/> from <c>events e</c>.</summary>
    private static string SingleColumns(EventSql sql) =>
        "e.node_id, e.camera_id, e.kind, CAST(e.id AS TEXT) AS ids, e.start_ms, COALESCE(e.end_ms, e.start_ms) AS stop_ms, e.end_ms IS NULL AS open, "
        + $"e.peak, '[' || e.zones_json || ']' AS zones_json, '[' || {sql.Labels} || ']' AS labels_json, e.acknowledged_ms IS NOT NULL AS acknowledged, e.flagged";

    /// <summary>
    /// A page of rows and how many rows there are. Without grouping the page is read straight off the start-time
    /// index and stops after it; with grouping, the day's filtered events are grouped in one pass of window functions.
    /// </summary>
    public async Task<(IReadOnlyList<EventGroupRow> Rows, long Total)> PageAsync(EventQuery filter, int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = Parameters(filter, new { Skip = Math.Max(0, skip), Take = Math.Clamp(take, 1, 1000) });
        var sql = Sql;
        var groups = filter.GroupGapSeconds > 0
            ? $"""
                filtered AS (
                    SELECT e.id, e.node_id, e.camera_id, e.kind, e.start_ms, COALESCE(e.end_ms, e.start_ms) AS stop_ms, e.end_ms IS NULL AS open,
                           e.peak, e.zones_json, {sql.Labels} AS labels_json, e.acknowledged_ms IS NOT NULL AS acknowledged, e.flagged
                    FROM events e
                    WHERE {Where(filter, sql)}
                ), marked AS (
                    -- A new group starts when an event begins more than the gap after everything before it (of its camera and kind) ended.
                    SELECT f.*, CASE WHEN f.start_ms - MAX(f.stop_ms) OVER before <= @Gap THEN 0 ELSE 1 END AS new_group
                    FROM filtered f
                    WINDOW before AS (PARTITION BY f.node_id, f.camera_id, f.kind ORDER BY f.start_ms, f.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                ), numbered AS (
                    SELECT m.*, SUM(m.new_group) OVER (PARTITION BY m.node_id, m.camera_id, m.kind ORDER BY m.start_ms, m.id ROWS UNBOUNDED PRECEDING) AS grp
                    FROM marked m
                ), groups AS (
                    SELECT node_id, camera_id, kind, {sql.GroupIds} AS ids, MIN(start_ms) AS start_ms, MAX(stop_ms) AS stop_ms, {sql.AnyOpen} AS open,
                           MAX(peak) AS peak, {sql.JsonArrayOf("zones_json")} AS zones_json,
                           {sql.JsonArrayOf("labels_json")} AS labels_json, {sql.AllAcknowledged} AS acknowledged, MAX(flagged) AS flagged,
                           COUNT(*) OVER () AS total
                    FROM numbered
                    GROUP BY node_id, camera_id, kind, grp
                    ORDER BY start_ms DESC, MIN(id) DESC
                    LIMIT @Take OFFSET @Skip
                )
                """
            : $"""
                groups AS (
                    SELECT {SingleColumns(sql)}, 0 AS total FROM events e
                    WHERE {Where(filter, sql)}
                    ORDER BY e.start_ms DESC, e.id DESC
                    LIMIT @Take OFFSET @Skip
                )
                """;
        var query = $"""
            WITH {groups}, paged AS (
                SELECT g.*, COALESCE(c.name, NULLIF(g.camera_id, ''), 'node') AS camera_name,
                       (SELECT k.id FROM clips k WHERE {ClipIds.OverlapSql("k", "g.node_id", "g.camera_id", "g.start_ms", "g.stop_ms")} ORDER BY k.start_ms LIMIT 1) AS clip_id
                FROM groups g
                LEFT JOIN cameras c ON c.node_id = g.node_id AND c.id = g.camera_id
            )
            SELECT p.*, COALESCE(
                (SELECT f.id FROM files f WHERE f.clip_id = p.clip_id AND f.kind = 'thumbnail' ORDER BY f.id LIMIT 1),
                {OwnImageSql(sql.FirstId("p.ids"))}) AS thumbnail_id
            FROM paged p
            ORDER BY p.start_ms DESC
            """;
        var rows = (await connection.QueryAsync<EventGroupRow>(query, parameters).ConfigureAwait(false)).ToList();
        var total = filter.GroupGapSeconds > 0
            ? rows.FirstOrDefault()?.Total ?? 0
            : await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM events e WHERE {Where(filter, sql)}", parameters).ConfigureAwait(false);
        return (rows, total);
    }

    /// <summary>One event as a group of one, unless it was deleted.</summary>
    public async Task<EventGroupRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<EventGroupRow>(
            $"""
            SELECT {SingleColumns(Sql)}, COALESCE(c.name, NULLIF(e.camera_id, ''), 'node') AS camera_name
            FROM events e LEFT JOIN cameras c ON c.node_id = e.node_id AND c.id = e.camera_id
            WHERE e.id = @Id AND e.deleted_ms IS NULL
            """,
            new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>The camera's events just before and after a moment (ties broken by id), through the camera's index.</summary>
    public async Task<(long? Previous, long? Next)> NeighboursAsync(CameraRef camera, long startMs, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new { camera.NodeId, camera.CameraId, Start = startMs, Id = id };
        var previous = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT id FROM events WHERE node_id = @NodeId AND camera_id = @CameraId AND deleted_ms IS NULL
              AND (start_ms < @Start OR (start_ms = @Start AND id < @Id))
            ORDER BY start_ms DESC, id DESC LIMIT 1
            """,
            parameters).ConfigureAwait(false);
        var next = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT id FROM events WHERE node_id = @NodeId AND camera_id = @CameraId AND deleted_ms IS NULL
              AND (start_ms > @Start OR (start_ms = @Start AND id > @Id))
            ORDER BY start_ms, id LIMIT 1
            """,
            parameters).ConfigureAwait(false);
        return (previous, next);
    }

    /// <summary>The day's events of the filtered camera (or all cameras), whatever the other filters say.</summary>
    public async Task<IReadOnlyList<EventSpanRow>> SpansAsync(EventQuery filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var dayOnly = new EventQuery { FromMs = filter.FromMs, ToMs = filter.ToMs, Site = filter.Site, Camera = filter.Camera };
        var rows = await connection.QueryAsync<EventSpanRow>(
            $"""
            SELECT e.id, e.node_id, e.camera_id, e.kind, e.start_ms, COALESCE(e.end_ms, e.start_ms) AS stop_ms
            FROM events e WHERE {Where(dayOnly, Sql)}
            ORDER BY e.node_id, e.camera_id, e.kind, e.start_ms
            """,
            Parameters(dayOnly)).ConfigureAwait(false);
        return rows.ToList();
    }

    /// <summary>
    /// The largest motion magnitude per bucket of <paramref name="bucketMs"/>: from the per-minute rollup for buckets of
    /// a minute or more (a day's graph), from the raw series through its index for finer ones (the player's).
    /// </summary>
    public async Task<IReadOnlyList<(long AtMs, double Value)>> MotionAsync(CameraRef camera, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sql = bucketMs >= MotionMinutes.MinuteMs
            ? """
              SELECT (minute_ms - @From) / @Bucket AS bucket, MAX(peak) AS value FROM motion_minutes
              WHERE node_id = @NodeId AND camera_id = @CameraId AND minute_ms >= @From AND minute_ms < @To
              GROUP BY bucket ORDER BY bucket
              """
            : $"""
              SELECT (at_ms - @From) / @Bucket AS bucket, MAX(value) AS value FROM measurements
              WHERE node_id = @NodeId AND camera_id = @CameraId AND name = '{MotionMinutes.Series}' AND at_ms >= @From AND at_ms < @To
              GROUP BY bucket ORDER BY bucket
              """;
        var rows = await connection.QueryAsync<(long Bucket, double Value)>(
            sql,
            new { camera.NodeId, camera.CameraId, From = fromMs, To = toMs, Bucket = Math.Max(1, bucketMs) }).ConfigureAwait(false);
        return rows.Select(r => (fromMs + (r.Bucket * bucketMs), r.Value)).ToList();
    }

    /// <summary>The kinds, zones and detection labels of a day's events, and how many are unacknowledged, of one site or all.</summary>
    public async Task<(IReadOnlyList<string> Kinds, IReadOnlyList<string> Zones, IReadOnlyList<string> Labels, int Unacknowledged)> DayOptionsAsync(long fromMs, long toMs, string? site, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = new EventQuery { FromMs = fromMs, ToMs = toMs, Site = site };
        var parameters = Parameters(filter);
        var sql = Sql;
        var where = Where(filter, sql);
        var kinds = await connection.QueryAsync<string>($"SELECT DISTINCT e.kind FROM events e WHERE {where} ORDER BY 1", parameters).ConfigureAwait(false);
        var zones = await connection.QueryAsync<string>($"SELECT DISTINCT z.value FROM events e, {sql.ZoneValues("z")} WHERE {where} ORDER BY 1", parameters).ConfigureAwait(false);
        var labels = await connection.QueryAsync<string>(
            $"SELECT DISTINCT lower({sql.LabelOf("l")}) FROM events e, {sql.LabelValues("l")} WHERE {where} AND {sql.LabelOf("l")} IS NOT NULL ORDER BY 1",
            parameters).ConfigureAwait(false);
        var open = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM events e WHERE {where} AND e.acknowledged_ms IS NULL", parameters).ConfigureAwait(false);
        return (kinds.ToList(), zones.ToList(), labels.ToList(), open);
    }

    /// <summary>Each camera's latest event that started at or after <paramref name="sinceMs"/>: the live grid's marks.</summary>
    public async Task<IReadOnlyList<LatestEventRow>> LatestPerCameraAsync(long sinceMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LatestEventRow>(Sql.LatestPerCamera, new { Since = sinceMs }).ConfigureAwait(false);
        return rows.ToList();
    }

    /// <summary>All unacknowledged events, through the partial index.</summary>
    public async Task<long> CountUnacknowledgedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE acknowledged_ms IS NULL AND deleted_ms IS NULL").ConfigureAwait(false);
    }

    /// <summary>
    /// The latest picture an event's plugin sent with it (a detection's best frame with its box drawn), through
    /// <c>files_by_event</c>: an event without a clip still shows what was seen. <paramref name="eventRowId"/> is the
    /// SQL of the event row's id (a group's first, whose ids list starts with it).
    /// </summary>
    internal static string OwnImageSql(string eventRowId) =>
        $"(SELECT f.id FROM events ev JOIN files f ON f.node_id = ev.node_id AND f.event_id = ev.event_id AND f.event_id <> '' WHERE ev.id = {eventRowId} AND f.content_type LIKE 'image/%' ORDER BY f.id DESC LIMIT 1)";

    /// <summary>The filter as SQL over <c>events e</c>: only fixed fragments, every value a parameter.</summary>
    internal static string Where(EventQuery filter, EventSql sql) =>
        "e.start_ms >= @From AND e.start_ms < @To AND e.deleted_ms IS NULL"
        + (filter.NodeId is null ? "" : " AND e.node_id = @OnlyNode")
        + SiteFilter.Sql(filter.Site, "e.node_id")
        + (filter.Camera is null ? "" : " AND e.node_id = @NodeId AND e.camera_id = @CameraId")
        + (filter.Kind is null ? "" : " AND e.kind = @Kind")
        + (filter.Zone is null ? "" : $" AND EXISTS (SELECT 1 FROM {sql.ZoneValues("z")} WHERE z.value = @Zone)")
        + (filter.Label is null ? "" : $" AND EXISTS (SELECT 1 FROM {sql.LabelValues("l")} WHERE lower({sql.LabelOf("l")}) = lower(@Label))")
        + filter.Acknowledged switch
        {
            true => " AND e.acknowledged_ms IS NOT NULL",
            false => " AND e.acknowledged_ms IS NULL",
            null => "",
        }
        + (filter.Flagged is null ? "" : " AND e.flagged = @Flagged");

    /// <summary>The values <see cref="Where"/> refers to, with <paramref name="more"/> of the caller's own.</summary>
    internal static DynamicParameters Parameters(EventQuery filter, object? more = null)
    {
        var parameters = new DynamicParameters(more);
        parameters.AddDynamicParams(new
        {
            From = filter.FromMs,
            To = filter.ToMs,
            OnlyNode = filter.NodeId,
            filter.Site,
            filter.Camera?.NodeId,
            filter.Camera?.CameraId,
            filter.Kind,
            filter.Zone,
            filter.Label,
            Flagged = filter.Flagged == true ? 1 : 0,
            Gap = (long)filter.GroupGapSeconds * 1000,
        });
        return parameters;
    }
}
