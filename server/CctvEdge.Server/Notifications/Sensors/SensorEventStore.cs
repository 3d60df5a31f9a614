using System.Globalization;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Sensors;

/// <summary>
/// The <c>sensor</c> events the server raises when a reading leaves its threshold's range: ordinary rows of
/// <c>events</c> (plugin "server"), so rules match kind <c>sensor</c> and the timeline shows them next to motion. An
/// open row (no end) is the durable "out of range" mark that survives a restart.
/// </summary>
internal sealed class SensorEventStore(ServerDatabase database, TimeProvider clock)
{
    public const string Kind = "sensor";

    // The payload is the server's own JSON, read as the events_by_sensor index reads it.
    private static readonly DialectSql OpenSql = new(dialect =>
    {
        string Field(string name) => EventSql.ServerPayloadField(dialect, name);
        return $"""
            SELECT node_id, event_id, {Field("sensor")}, {Field("name")} FROM events
            WHERE plugin_id = @Plugin AND kind = @Kind AND end_ms IS NULL AND {Field("sensor")} IS NOT NULL
            """;
    });

    // The value that brought it back is added to the payload: json_set on SQLite, jsonb_set on PostgreSQL.
    private static readonly DialectSql CloseSql = new(dialect =>
        $"""
        UPDATE events SET end_ms = {dialect.Greatest("start_ms", "@End")}, sequence = sequence + 1,
            payload_json = {(dialect == SqlDialect.Postgres
                ? "CAST(jsonb_set(json_or_empty(payload_json), '{backInRangeValue}', to_jsonb(CAST(@Value AS DOUBLE PRECISION))) AS TEXT)"
                : "json_set(payload_json, '$.backInRangeValue', @Value)")}
        WHERE node_id = @NodeId AND event_id = @EventId AND end_ms IS NULL
        """);

    /// <summary>Every open sensor event: node, event id, and the sensor and measurement its payload names.</summary>
    public async Task<IReadOnlyList<(string NodeId, string EventId, string Sensor, string Name)>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<(string, string, string, string)>(
            OpenSql.For(database.Dialect),
            new { Plugin = ServerEvents.PluginId, Kind }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Opens an event that started at <paramref name="start"/>; its event id, or null when it exists already.</summary>
    public Task<string?> RaiseAsync(string nodeId, string cameraId, string sensor, string name, DateTimeOffset start, double value, object payload, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var eventId = string.Create(CultureInfo.InvariantCulture, $"server-sensor-{sensor}-{name}-{start.ToUnixTimeMilliseconds()}");
                var e = new ServerEvent(nodeId, eventId, cameraId, Kind, start, End: null, Peak: value, payload);
                return await ServerEvents.InsertAsync(connection, transaction, e, clock.GetUtcNow()).ConfigureAwait(false) is null ? null : eventId;
            },
            cancellationToken);

    /// <summary>Closes an open event at <paramref name="end"/>, noting the value that brought it back in range.</summary>
    public Task<bool> CloseAsync(string nodeId, string eventId, DateTimeOffset end, double value, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                CloseSql.For(database.Dialect),
                new { NodeId = nodeId, EventId = eventId, End = end.ToUnixTimeMilliseconds(), Value = value },
                transaction).ConfigureAwait(false) > 0,
            cancellationToken);
}
