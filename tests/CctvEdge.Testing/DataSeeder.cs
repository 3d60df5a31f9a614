using System.Data;
using System.Data.Common;
using System.Text.Json;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Testing;

/// <summary>
/// Writes nodes, cameras, events, motion and sensor rollups straight into a server's database (after the server created the
/// schema), in one transaction: fixtures for review tests and the volumes of the performance measurements. Its SQL runs
/// on SQLite and PostgreSQL alike.
/// </summary>
public sealed class DataSeeder : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private long _sequence;

    private DataSeeder(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Seeds the SQLite database file at <paramref name="databasePath"/>.</summary>
    public static async Task<DataSeeder> OpenAsync(string databasePath) =>
        await OpenAsync(await new SqliteDatabase(databasePath, NullLogger.Instance).OpenAsync(CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Seeds through <paramref name="connection"/>, an open connection of either engine; the seeder disposes it.</summary>
    public static async Task<DataSeeder> OpenAsync(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new DataSeeder(connection, await connection.BeginTransactionAsync().ConfigureAwait(false));
    }

    /// <summary>A node with its cameras, as if it had sent a hello and a heartbeat at <paramref name="seen"/>.</summary>
    public async Task NodeAsync(string nodeId, string name, DateTimeOffset seen, IReadOnlyList<string> cameras, long diskFree = 40L << 30, long diskTotal = 64L << 30)
    {
        await _connection.ExecuteAsync(
            """
            INSERT INTO nodes (id, name, agent_version, first_seen_ms, last_seen_ms, cpu_percent, memory_bytes, disk_free_bytes, disk_total_bytes)
            VALUES (@Id, @Name, '0.1.0', @Seen, @Seen, 12.5, 150000000, @Free, @Total)
            """,
            new { Id = nodeId, Name = name, Seen = seen.ToUnixTimeMilliseconds(), Free = diskFree, Total = diskTotal },
            _transaction).ConfigureAwait(false);
        foreach (var camera in cameras)
        {
            await _connection.ExecuteAsync(
                "INSERT INTO cameras (node_id, id, name, source_kind, state, fps) VALUES (@NodeId, @Id, @Name, 'synthetic', 'running', 5)",
                new { NodeId = nodeId, Id = camera, Name = camera.ToUpperInvariant() },
                _transaction).ConfigureAwait(false);
        }
    }

    /// <summary>One event; returns its row id.</summary>
    public Task<long> EventAsync(string nodeId, string cameraId, DateTimeOffset start, TimeSpan length, string kind = "motion", double peak = 5, params string[] zones) =>
        _connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, end_ms, peak, zones_json, sequence, received_ms)
            VALUES (@NodeId, @EventId, @CameraId, 'motion', @Kind, @Start, @End, @Peak, @Zones, @Sequence, @Start)
            RETURNING id
            """,
            new
            {
                NodeId = nodeId,
                EventId = "seed-" + Interlocked.Increment(ref _sequence),
                CameraId = cameraId,
                Kind = kind,
                Start = start.ToUnixTimeMilliseconds(),
                End = (start + length).ToUnixTimeMilliseconds(),
                Peak = peak,
                Zones = JsonSerializer.Serialize(zones),
                Sequence = _sequence,
            },
            _transaction);

    /// <summary>Sets an event's plugin payload (its JSON as the node sent it), e.g. detection labels.</summary>
    public Task PayloadAsync(long eventId, string payloadJson) =>
        _connection.ExecuteAsync("UPDATE events SET payload_json = @Payload WHERE id = @Id", new { Id = eventId, Payload = payloadJson }, _transaction);

    /// <summary>A stored clip whose file the test has put at <paramref name="relativePath"/> under the clips directory.</summary>
    public Task ClipAsync(string nodeId, string cameraId, string clipId, DateTimeOffset start, DateTimeOffset end, string relativePath, byte[] bytes, string reason = "event") =>
        _connection.ExecuteAsync(
            """
            INSERT INTO clips (id, node_id, camera_id, reason, start_ms, end_ms, size, sha256, state, path, announced_ms, stored_ms)
            VALUES (@Id, @NodeId, @CameraId, @Reason, @Start, @End, @Size, @Sha256, 'stored', @Path, @Start, @Start)
            """,
            new
            {
                Id = clipId,
                NodeId = nodeId,
                CameraId = cameraId,
                Reason = reason,
                Start = start.ToUnixTimeMilliseconds(),
                End = end.ToUnixTimeMilliseconds(),
                Size = (long)bytes.Length,
                Sha256 = System.Security.Cryptography.SHA256.HashData(bytes),
                Path = relativePath,
            },
            _transaction);

    /// <summary>
    /// An outage as its source writes it: the server's <c>offline</c> event (camera "" for the whole node), or with
    /// <paramref name="fromNode"/> the node's <c>system</c> event of type <c>camera-offline</c>. Open while
    /// <paramref name="end"/> is null. Returns its row id.
    /// </summary>
    public Task<long> OutageAsync(string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset? end, string reason, bool fromNode = false) =>
        _connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, end_ms, payload_json, sequence, received_ms)
            VALUES (@NodeId, @EventId, @CameraId, @Plugin, @Kind, @Start, @End, @Payload, @Sequence, @Start)
            RETURNING id
            """,
            new
            {
                NodeId = nodeId,
                EventId = "seed-" + Interlocked.Increment(ref _sequence),
                CameraId = cameraId,
                Plugin = fromNode ? "node" : "server",
                Kind = fromNode ? "system" : "offline",
                Start = start.ToUnixTimeMilliseconds(),
                End = end?.ToUnixTimeMilliseconds(),
                Payload = fromNode
                    ? JsonSerializer.Serialize(new { type = "camera-offline", camera = cameraId, reason })
                    : JsonSerializer.Serialize(new { reason, since = start }),
                Sequence = _sequence,
            },
            _transaction);

    /// <summary><paramref name="count"/> events spread evenly over [start, start + span), a few seconds each.</summary>
    public async Task EventsAsync(string nodeId, string cameraId, DateTimeOffset start, TimeSpan span, int count)
    {
        var step = span / count;
        for (var i = 0; i < count; i++)
        {
            var zones = i % 3 == 0 ? new[] { "gate" } : [];
            await EventAsync(nodeId, cameraId, start + (step * i), TimeSpan.FromSeconds(2 + (i % 7)), i % 50 == 49 ? "system" : "motion", 1 + (i % 40), zones).ConfigureAwait(false);
        }
    }

    /// <summary>The motion-magnitude series of a camera, one value every <paramref name="step"/>.</summary>
    public async Task MotionAsync(string nodeId, string cameraId, DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var rows = new List<object>();
        var i = 0;
        for (var at = from; at < to; at += step, i++)
        {
            rows.Add(new { NodeId = nodeId, CameraId = cameraId, At = at.ToUnixTimeMilliseconds(), Value = (Math.Sin(i / 30.0) + 1) * 10 });
        }

        await _connection.ExecuteAsync(
            "INSERT INTO measurements (node_id, camera_id, plugin_id, name, at_ms, value, unit) VALUES (@NodeId, @CameraId, 'motion', 'motion.magnitude', @At, @Value, '%')",
            rows,
            _transaction).ConfigureAwait(false);
        // The per-minute rollup the server keeps at ingest.
        await _connection.ExecuteAsync(
            """
            INSERT INTO motion_minutes (node_id, camera_id, minute_ms, peak)
            SELECT node_id, camera_id, (at_ms / 60000) * 60000, MAX(value) FROM measurements
            WHERE node_id = @NodeId AND camera_id = @CameraId AND name = 'motion.magnitude' AND at_ms >= @From AND at_ms < @To
            GROUP BY 1, 2, 3
            ON CONFLICT (node_id, camera_id, minute_ms) DO UPDATE SET peak = CASE WHEN excluded.peak > motion_minutes.peak THEN excluded.peak ELSE motion_minutes.peak END
            """,
            new { NodeId = nodeId, CameraId = cameraId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() },
            _transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// A year up to <paramref name="now"/> of minute rollups (one reading a minute, a daily curve) for a sensor's
    /// temperature, humidity and pressure, and the hours they add up to, as the server's ingest would have kept them.
    /// The sensor must exist (a hello listed it). Returns the minute rows written.
    /// </summary>
    public long SensorYear(string nodeId, string sensorId, DateTimeOffset now)
    {
        var end = now.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        var start = end - (365L * 24 * 60 * 60_000);
        long rows = 0;
        foreach (var (name, unit, mean, swing) in new[] { ("temperature", "°C", 12.0, 10.0), ("humidity", "%", 60.0, 20.0), ("pressure", "hPa", 1013.0, 15.0) })
        {
            var id = _connection.ExecuteScalar<long>(
                "INSERT INTO sensor_series (node_id, sensor_id, name, unit, last_value, last_ms) VALUES (@NodeId, @SensorId, @Name, @Unit, @Mean, @End) RETURNING id",
                new { NodeId = nodeId, SensorId = sensorId, Name = name, Unit = unit, Mean = mean, End = end },
                _transaction);
            rows += Rollups("sensor_minutes", id, start, end, 60_000, mean, swing);
            Rollups("sensor_hours", id, start, end, 3_600_000, mean, swing);
        }

        return rows;
    }

    /// <summary>Buckets of <paramref name="size"/> ms with a daily curve; an hour holds the 60 minutes it would have summed.</summary>
    private long Rollups(string table, long seriesId, long start, long end, long size, double mean, double swing)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"INSERT INTO {table} (series_id, bucket_ms, min, max, sum, count) VALUES (@id, @bucket, @min, @max, @sum, @count)";
        // Typed by their first values (a bigint or a double on either engine), so the statement can be prepared.
        var id = Parameter(command, "@id", seriesId);
        var bucket = Parameter(command, "@bucket", 0L);
        var min = Parameter(command, "@min", 0.0);
        var max = Parameter(command, "@max", 0.0);
        var sum = Parameter(command, "@sum", 0.0);
        var count = Parameter(command, "@count", 0L);
        command.Prepare();
        long rows = 0;
        var perBucket = size / 60_000;
        for (var at = start - (start % size); at < end; at += size)
        {
            var value = mean + (swing * Math.Sin(at / 86_400_000.0 * 2 * Math.PI));
            (id.Value, bucket.Value, min.Value, max.Value, sum.Value, count.Value) = (seriesId, at, value - 0.5, value + 0.5, value * perBucket, perBucket);
            command.ExecuteNonQuery();
            rows++;
        }

        return rows;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = (name, value);
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async ValueTask DisposeAsync()
    {
        _transaction.Commit();
        _transaction.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
