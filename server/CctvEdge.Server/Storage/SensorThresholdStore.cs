using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>A measurement's range (either bound may be open) and how long a value may leave it before an event.</summary>
internal sealed record SensorLimit(string Name, double? Min, double? Max, int SustainSeconds);

/// <summary>A sensor's threshold with the sensor it belongs to.</summary>
internal sealed record SensorThresholdRow(string NodeId, string SensorId, SensorLimit Threshold);

/// <summary>The sensor_thresholds table. <see cref="Version"/> moves on every save, so the watcher reloads only then.</summary>
internal sealed class SensorThresholdStore(ServerDatabase database, TimeProvider clock)
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public async Task<IReadOnlyList<SensorLimit>> ListAsync(string nodeId, string sensorId, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken).ConfigureAwait(false)).Where(t => t.NodeId == nodeId && t.SensorId == sensorId).Select(t => t.Threshold).ToList();

    public async Task<IReadOnlyList<SensorThresholdRow>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string NodeId, string SensorId, string Name, double? Min, double? Max, long SustainSeconds)>(
            "SELECT node_id, sensor_id, name, min, max, sustain_seconds FROM sensor_thresholds ORDER BY node_id, sensor_id, name").ConfigureAwait(false);
        return rows.Select(r => new SensorThresholdRow(r.NodeId, r.SensorId, new SensorLimit(r.Name, r.Min, r.Max, (int)r.SustainSeconds))).ToList();
    }

    /// <summary>Replaces a sensor's thresholds; false when the node has no such sensor.</summary>
    public async Task<bool> ReplaceAsync(string nodeId, string sensorId, IReadOnlyList<SensorLimit> thresholds, CancellationToken cancellationToken)
    {
        var saved = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var known = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sensors WHERE node_id = @NodeId AND id = @SensorId", new { NodeId = nodeId, SensorId = sensorId }, transaction).ConfigureAwait(false);
                if (known == 0)
                {
                    return false;
                }

                await connection.ExecuteAsync("DELETE FROM sensor_thresholds WHERE node_id = @NodeId AND sensor_id = @SensorId", new { NodeId = nodeId, SensorId = sensorId }, transaction).ConfigureAwait(false);
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var t in thresholds)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO sensor_thresholds (node_id, sensor_id, name, min, max, sustain_seconds, updated_ms) VALUES (@NodeId, @SensorId, @Name, @Min, @Max, @SustainSeconds, @Now)",
                        new { NodeId = nodeId, SensorId = sensorId, t.Name, t.Min, t.Max, t.SustainSeconds, Now = now },
                        transaction).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _version);
        return saved;
    }
}
