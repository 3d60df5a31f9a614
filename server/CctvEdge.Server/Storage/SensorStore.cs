using System.Data;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Writes of node sensors: their descriptions from hellos and heartbeats, and their readings. Everything runs in the
/// caller's transaction, so a batch's readings, their rollups and the node's sequence commit together.
/// </summary>
internal static class SensorStore
{
    /// <summary>A node describes at most this many sensors; more is a broken node, not a farm.</summary>
    public const int MaxSensors = 256;

    /// <summary>Why a node's sensor description is skipped, or null when it is stored.</summary>
    public static string? Problem(SensorInfo sensor) =>
        !Identifier.IsValid(sensor.Id) ? $"sensor id '{sensor.Id}' is invalid: {Identifier.Rule}"
        : sensor.CameraId.Length > 0 && !Identifier.IsValid(sensor.CameraId) ? $"sensor '{sensor.Id}' names an invalid camera id '{sensor.CameraId}'"
        : sensor.Name.Length > 100 || sensor.Kind.Length > 64 || sensor.PluginId.Length > 64 || sensor.Error.Length > 2000 ? $"sensor '{sensor.Id}' has a name, kind, plugin or error too long"
        : null;

    /// <summary>
    /// Stores the sensors a hello or heartbeat lists; bad entries are skipped and returned (the node keeps its session:
    /// one bad sensor must not cut off its cameras). A full list (the hello's, or a heartbeat's that names any) marks
    /// the node's other listed sensors removed; their readings stay queryable. A board the node accepted without
    /// configuring it (Microcontroller:AcceptUnknown) is known only by its readings and never listed, so never removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UpsertAsync(IDbConnection connection, IDbTransaction transaction, SqlDialect dialect, string nodeId, IReadOnlyCollection<SensorInfo> sensors, long now)
    {
        var problems = new List<string>();
        var ids = new List<string>();
        foreach (var sensor in sensors.Take(MaxSensors))
        {
            if (Problem(sensor) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            ids.Add(sensor.Id);
            await connection.ExecuteAsync(
                """
                INSERT INTO sensors (node_id, id, name, plugin_id, kind, camera_id, state, error, last_read_ms, updated_ms, listed)
                VALUES (@NodeId, @Id, @Name, @PluginId, @Kind, @CameraId, @State, @Error, @LastRead, @Now, 1)
                ON CONFLICT (node_id, id) DO UPDATE SET name = excluded.name, plugin_id = excluded.plugin_id, kind = excluded.kind,
                    camera_id = excluded.camera_id, state = excluded.state, error = excluded.error,
                    last_read_ms = COALESCE(excluded.last_read_ms, sensors.last_read_ms), updated_ms = excluded.updated_ms, listed = 1
                """,
                new
                {
                    NodeId = nodeId,
                    sensor.Id,
                    Name = sensor.Name.Length == 0 ? sensor.Id : sensor.Name,
                    sensor.PluginId,
                    sensor.Kind,
                    sensor.CameraId,
                    State = StateName(sensor.State),
                    sensor.Error,
                    LastRead = sensor.LastReadAt?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
                    Now = now,
                },
                transaction).ConfigureAwait(false);
        }

        if (sensors.Count > MaxSensors)
        {
            problems.Add($"only the first {MaxSensors} sensors are stored");
        }

        await connection.ExecuteAsync(
            $"UPDATE sensors SET state = 'removed', updated_ms = @Now WHERE node_id = @NodeId AND listed = 1 AND state <> 'removed' AND {dialect.NotIn("id", "@Ids")}",
            new { NodeId = nodeId, Ids = ids, Now = now },
            transaction).ConfigureAwait(false);
        return problems;
    }

    /// <summary>
    /// One reading of a sensor's measurement: its series (created on first sight, with the latest value), the raw row,
    /// and the minute and hour rollups. A second reading of a series at the same millisecond is dropped, so rollups
    /// never count a value the raw table does not hold. A sensor the node never described (a microcontroller accepted
    /// as unknown) gets a row named after its id.
    /// </summary>
    public static async Task InsertReadingAsync(IDbConnection connection, IDbTransaction transaction, SqlDialect dialect, string nodeId, Result result, long now)
    {
        var m = result.Measurement;
        var at = m.At.ToDateTimeOffset().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(
            """
            INSERT INTO sensors (node_id, id, name, plugin_id, camera_id, updated_ms) VALUES (@NodeId, @SensorId, @SensorId, @PluginId, @CameraId, @Now)
            ON CONFLICT (node_id, id) DO NOTHING
            """,
            new { NodeId = nodeId, result.SensorId, result.PluginId, result.CameraId, Now = now },
            transaction).ConfigureAwait(false);
        var seriesId = await connection.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO sensor_series (node_id, sensor_id, name, unit, last_value, last_ms) VALUES (@NodeId, @SensorId, @Name, @Unit, @Value, @At)
            ON CONFLICT (node_id, sensor_id, name) DO UPDATE SET
                unit = CASE WHEN excluded.unit <> '' THEN excluded.unit ELSE sensor_series.unit END,
                last_value = CASE WHEN sensor_series.last_ms IS NULL OR excluded.last_ms >= sensor_series.last_ms THEN excluded.last_value ELSE sensor_series.last_value END,
                last_ms = {dialect.Greatest("COALESCE(sensor_series.last_ms, excluded.last_ms)", "excluded.last_ms")}
            RETURNING id
            """,
            new { NodeId = nodeId, result.SensorId, m.Name, m.Unit, m.Value, At = at },
            transaction).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO sensor_readings (series_id, at_ms, value) VALUES (@SeriesId, @At, @Value) ON CONFLICT DO NOTHING",
            new { SeriesId = seriesId, At = at, m.Value },
            transaction).ConfigureAwait(false);
        if (inserted == 0)
        {
            return;
        }

        foreach (var (table, size) in Rollups)
        {
            await connection.ExecuteAsync(
                $"""
                INSERT INTO {table} (series_id, bucket_ms, min, max, sum, count) VALUES (@SeriesId, @Bucket, @Value, @Value, @Value, 1)
                ON CONFLICT (series_id, bucket_ms) DO UPDATE SET min = {dialect.Least($"{table}.min", "excluded.min")}, max = {dialect.Greatest($"{table}.max", "excluded.max")},
                    sum = {table}.sum + excluded.sum, count = {table}.count + 1
                """,
                new { SeriesId = seriesId, Bucket = Floor(at, size), m.Value },
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>The rollup tables and their bucket sizes (ms).</summary>
    public static readonly IReadOnlyList<(string Table, long Size)> Rollups = [("sensor_minutes", 60_000), ("sensor_hours", 3_600_000)];

    /// <summary>The start of the bucket of <paramref name="size"/> that holds <paramref name="at"/> (also before 1970).</summary>
    public static long Floor(long at, long size) => at - (((at % size) + size) % size);

    private static string StateName(PluginState state) => state switch
    {
        PluginState.Running => "running",
        PluginState.Failed => "failed",
        PluginState.Disabled => "disabled",
        _ => "unknown",
    };
}
