using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>An outage event: a camera (or, with an empty camera id, a whole node) offline from start to end, or still.</summary>
internal sealed record OutageRow
{
    public long Id { get; init; }
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public long StartMs { get; init; }

    /// <summary>Null while the outage lasts.</summary>
    public long? EndMs { get; init; }

    public string Reason { get; init; } = "";
}

/// <summary>
/// The outages the events timeline shades. Two sources write them as ordinary events: the server's offline watcher
/// (kind <c>offline</c>, plugin <c>server</c>, open until the node or camera is back) and the nodes themselves
/// (kind <c>system</c> with payload type <c>camera-offline</c>, from CameraOutages). The names are repeated here as
/// literals rather than referenced: the store knows nothing of the notifications or the node.
/// </summary>
internal sealed class OutageQueries(ServerDatabase database)
{
    /// <summary>
    /// The outages overlapping [<paramref name="fromMs"/>, <paramref name="toMs"/>) of one site's nodes (or all), and
    /// of one camera with its node's node-wide ones when <paramref name="camera"/> is given; oldest first per camera.
    /// </summary>
    public async Task<IReadOnlyList<OutageRow>> OverlappingAsync(long fromMs, long toMs, string? site, CameraRef? camera, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OutageRow>(
            Sql(database.Dialect, site, camera is not null),
            new { From = fromMs, To = toMs, Site = site, camera?.NodeId, camera?.CameraId }).ConfigureAwait(false);
        return rows.ToList();
    }

    /// <summary>
    /// The query, binding <c>@From</c>, <c>@To</c>, <c>@Site</c>, <c>@NodeId</c> and <c>@CameraId</c>, through the
    /// partial expression index <c>events_outages</c> (its terms repeated word for word, as SQLite needs them). SQLite's
    /// is named with INDEXED BY: given a node or a site, its planner would otherwise take <c>events_by_camera</c> and walk
    /// every event the node ever sent before the day's end. PostgreSQL has no such hint and weighs the index itself.
    /// </summary>
    internal static string Sql(SqlDialect dialect, string? site, bool oneCamera) =>
        $"""
        SELECT e.id, e.node_id, e.camera_id, e.start_ms, e.end_ms, COALESCE({EventSql.PayloadField(dialect, "e.payload_json", "reason")}, '') AS reason
        FROM events e{(dialect == SqlDialect.Sqlite ? " INDEXED BY events_outages" : "")}
        WHERE e.kind IN ('offline', 'system') AND COALESCE(e.end_ms, 9223372036854775807) >= @From AND e.start_ms < @To
          AND e.deleted_ms IS NULL
          AND ((e.kind = 'offline' AND e.plugin_id = 'server') OR (e.kind = 'system' AND {EventSql.PayloadField(dialect, "e.payload_json", "type")} = 'camera-offline'))
          {SiteFilter.Sql(site, "e.node_id")}
          {(oneCamera ? "AND e.node_id = @NodeId AND e.camera_id IN (@CameraId, '')" : "")}
        ORDER BY e.node_id, e.camera_id, e.start_ms, e.id
        """;
}
