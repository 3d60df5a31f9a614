using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>Reads events for the API and the web app.</summary>
internal sealed class EventStore(Database database)
{
    public async Task<IReadOnlyList<EventRow>> LatestAsync(int count, string? nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EventRow>(
            """
            SELECT e.id, e.node_id, e.event_id, e.camera_id, COALESCE(c.name, e.camera_id) AS camera_name, e.plugin_id, e.kind,
                   e.start_ms, e.end_ms, e.peak, e.zones_json, e.boxes_json, e.payload_json
            FROM events e LEFT JOIN cameras c ON c.node_id = e.node_id AND c.id = e.camera_id
            WHERE @NodeId IS NULL OR e.node_id = @NodeId
            ORDER BY e.start_ms DESC, e.id DESC
            LIMIT @Count
            """,
            new { Count = Math.Clamp(count, 1, 1000), NodeId = nodeId }).ConfigureAwait(false);
        return rows.ToList();
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
}
