using System.Data;
using System.Text.Json;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Testing;

/// <summary>
/// Writes nodes, cameras, events and motion straight into a server's SQLite database (after the server created the
/// schema), in one transaction: fixtures for review tests and the volumes of the performance measurements.
/// </summary>
public sealed class DataSeeder : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly IDbTransaction _transaction;
    private long _sequence;

    private DataSeeder(SqliteConnection connection, IDbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<DataSeeder> OpenAsync(string databasePath)
    {
        var connection = await new SqliteDatabase(databasePath, NullLogger.Instance).OpenAsync(CancellationToken.None).ConfigureAwait(false);
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
            ON CONFLICT (node_id, camera_id, minute_ms) DO UPDATE SET peak = MAX(peak, excluded.peak)
            """,
            new { NodeId = nodeId, CameraId = cameraId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() },
            _transaction).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _transaction.Commit();
        _transaction.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
