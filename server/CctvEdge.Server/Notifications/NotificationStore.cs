using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications;

/// <summary>A notification with its event, for the notifications page.</summary>
internal sealed record NotificationRow
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public string Rule { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Status { get; init; } = "";
    public long CreatedMs { get; init; }
    public long? AcknowledgedMs { get; init; }
    public string AcknowledgedBy { get; init; } = "";
    public string CameraName { get; init; } = "";
    public string Kind { get; init; } = "";
    public long StartMs { get; init; }
    public long? EndMs { get; init; }
    public bool Flagged { get; init; }
    public long Total { get; init; }
}

/// <summary>The notifications table: raised by the stage, listed and acknowledged by the page.</summary>
internal sealed class NotificationStore(ServerDatabase database, TimeProvider clock)
{
    public const string WebChannel = "web";
    private const string WatermarkKey = "notifications.last_event_id";

    private static readonly DialectSql RaiseSql = new(dialect =>
        $"""
        INSERT INTO notifications (event_id, rule, channel, status, created_ms)
        SELECT e.id, 'kind:' || e.kind, @Channel, 'new', @Now FROM events e
        WHERE e.id > @After AND e.id <= @Last AND {dialect.In("e.kind", "@Kinds")} AND e.deleted_ms IS NULL
        ON CONFLICT (event_id, channel) DO NOTHING
        """);

    /// <summary>
    /// Raises a web notification for every event of <paramref name="kinds"/> stored since the last call, and moves the
    /// watermark past all events read, in one transaction; returns how many it raised.
    /// </summary>
    public Task<int> RaiseNewAsync(IReadOnlyList<string> kinds, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var after = await SettingsTable.ReadNumberAsync(connection, transaction, WatermarkKey).ConfigureAwait(false);
            var last = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM events", transaction: transaction).ConfigureAwait(false);
            if (last <= after)
            {
                return 0;
            }

            var raised = await connection.ExecuteAsync(
                RaiseSql.For(database.Dialect),
                new { Channel = WebChannel, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), After = after, Last = last, Kinds = kinds },
                transaction).ConfigureAwait(false);
            await SettingsTable.WriteNumberAsync(connection, transaction, WatermarkKey, last).ConfigureAwait(false);
            return raised;
        }, cancellationToken);

    /// <summary>A page of notifications, newest first, with their events; deleted events take theirs with them.</summary>
    public async Task<IReadOnlyList<NotificationRow>> PageAsync(bool? acknowledged, string? site, int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = acknowledged switch
        {
            true => " AND n.acknowledged_ms IS NOT NULL",
            false => " AND n.acknowledged_ms IS NULL",
            null => "",
        };
        var rows = await connection.QueryAsync<NotificationRow>(
            $"""
            SELECT n.id, n.event_id, n.rule, n.channel, n.status, n.created_ms, n.acknowledged_ms, n.acknowledged_by,
                   COALESCE(c.name, NULLIF(e.camera_id, ''), 'node') AS camera_name, e.kind, e.start_ms, e.end_ms, e.flagged,
                   COUNT(*) OVER () AS total
            FROM notifications n
            JOIN events e ON e.id = n.event_id AND e.deleted_ms IS NULL
            LEFT JOIN cameras c ON c.node_id = e.node_id AND c.id = e.camera_id
            WHERE 1 = 1{filter}{SiteFilter.Sql(site, "e.node_id")}
            ORDER BY n.created_ms DESC, n.id DESC
            LIMIT @Take OFFSET @Skip
            """,
            new { Skip = Math.Max(0, skip), Take = Math.Clamp(take, 1, 500), Site = site }).ConfigureAwait(false);
        return rows.ToList();
    }

    public async Task<long> CountUnacknowledgedAsync(string? site, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications n JOIN events e ON e.id = n.event_id AND e.deleted_ms IS NULL WHERE n.acknowledged_ms IS NULL" + SiteFilter.Sql(site, "e.node_id"),
            new { Site = site }).ConfigureAwait(false);
    }
}
