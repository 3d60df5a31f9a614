using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>Reads events for the API and the web app.</summary>
internal sealed class EventStore(ServerDatabase database)
{
    /// <summary>The latest events, of one node or all.</summary>
    public Task<IReadOnlyList<EventRow>> LatestAsync(int count, string? nodeId, CancellationToken cancellationToken) =>
        ListAsync(new EventQuery { NodeId = nodeId }, 0, count, cancellationToken);

    /// <summary>A page of the events <paramref name="query"/> selects, newest first, read off the start-time index.</summary>
    public async Task<IReadOnlyList<EventRow>> ListAsync(EventQuery query, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EventRow>(
            $"""
            SELECT e.id, e.node_id, e.event_id, e.camera_id, COALESCE(c.name, NULLIF(e.camera_id, ''), 'node') AS camera_name, e.plugin_id, e.kind,
                   e.start_ms, e.end_ms, e.peak, e.zones_json, e.boxes_json, e.payload_json, e.analysis_json,
                   e.acknowledged_ms IS NOT NULL AS acknowledged, e.flagged,
                   k.id AS clip_id, k.state AS clip_state,
                   COALESCE(
                       (SELECT f.id FROM files f WHERE f.clip_id = k.id AND f.kind = 'thumbnail' ORDER BY f.id LIMIT 1),
                       {EventQueries.OwnImageSql("e.id")}) AS thumbnail_id
            FROM events e
            LEFT JOIN cameras c ON c.node_id = e.node_id AND c.id = e.camera_id
            -- An event's clip is the first of its camera that overlaps it: clips merge close events and split long ones.
            LEFT JOIN clips k ON k.id = (
                SELECT k2.id FROM clips k2
                WHERE {ClipIds.OverlapSql("k2", "e.node_id", "e.camera_id", "e.start_ms", "COALESCE(e.end_ms, e.start_ms)")}
                ORDER BY k2.start_ms LIMIT 1)
            WHERE {EventQueries.Where(query, EventSql.For(database.Dialect))}
            ORDER BY e.start_ms DESC, e.id DESC
            LIMIT @Count OFFSET @Offset
            """,
            EventQueries.Parameters(query, new { Count = Math.Clamp(count, 1, 1000), Offset = Math.Max(0, offset) })).ConfigureAwait(false);
        return rows.ToList();
    }

    /// <summary>A stored file's path (relative to the data directory) and type.</summary>
    public async Task<FileRow?> FindFileAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<FileRow>("SELECT path, content_type FROM files WHERE id = @Id", new { Id = id }).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events").ConfigureAwait(false);
    }
}

internal sealed record EventRow
{
    public long Id { get; init; }
    public string NodeId { get; init; } = "";
    public string EventId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string CameraName { get; init; } = "";
    public string PluginId { get; init; } = "";
    public string Kind { get; init; } = "";
    public long StartMs { get; init; }
    public long? EndMs { get; init; }
    public double Peak { get; init; }
    public string ZonesJson { get; init; } = "[]";
    public string BoxesJson { get; init; } = "[]";
    public string PayloadJson { get; init; } = "";

    /// <summary>Labels server processors added (<c>{"labels": [...]}</c>), empty when none.</summary>
    public string AnalysisJson { get; init; } = "";
    public string? ClipId { get; init; }
    public string? ClipState { get; init; }
    public long? ThumbnailId { get; init; }
    public bool Acknowledged { get; init; }
    public bool Flagged { get; init; }
}

internal sealed record FileRow
{
    public string Path { get; init; } = "";
    public string ContentType { get; init; } = "";
}
