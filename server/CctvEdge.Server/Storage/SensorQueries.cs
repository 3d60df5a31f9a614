using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>Reads of sensors, their series and readings, and the retention of readings.</summary>
internal sealed class SensorQueries(ServerDatabase database)
{
    /// <summary>The resolutions readings are kept at: table, time column, bucket size (ms).</summary>
    public static readonly SensorResolution Raw = new("raw", "sensor_readings", 1);
    public static readonly SensorResolution Minute = new("minute", "sensor_minutes", 60_000);
    public static readonly SensorResolution Hour = new("hour", "sensor_hours", 3_600_000);

    public async Task<IReadOnlyList<SensorRow>> ListSensorsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SensorRow>("SELECT * FROM sensors ORDER BY node_id, name, id").ConfigureAwait(false)).ToList();
    }

    public async Task<SensorRow?> FindSensorAsync(string nodeId, string sensorId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SensorRow>("SELECT * FROM sensors WHERE node_id = @NodeId AND id = @SensorId", new { NodeId = nodeId, SensorId = sensorId }).ConfigureAwait(false);
    }

    /// <summary>Every series, or one sensor's, by name.</summary>
    public async Task<IReadOnlyList<SeriesRow>> ListSeriesAsync(string? nodeId, string? sensorId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SeriesRow>(
            "SELECT * FROM sensor_series WHERE (@NodeId IS NULL OR (node_id = @NodeId AND sensor_id = @SensorId)) ORDER BY node_id, sensor_id, name",
            new { NodeId = nodeId, SensorId = sensorId }).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// A series over [from, to) in buckets of <paramref name="bucketMs"/> (a multiple of the resolution's), oldest first:
    /// each bucket's min, mean (weighted by the readings it holds) and max. A raw bucket is dated by its first reading
    /// (a reading's own time when it is alone, as a short range's are); a rollup bucket by its start.
    /// </summary>
    public async Task<IReadOnlyList<PointRow>> PointsAsync(long seriesId, SensorResolution resolution, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken)
    {
        var sql = resolution == Raw
            ? "SELECT MIN(at_ms) AS at_ms, MIN(value) AS min, AVG(value) AS avg, MAX(value) AS max FROM sensor_readings WHERE series_id = @SeriesId AND at_ms >= @From AND at_ms < @To GROUP BY at_ms / @Bucket ORDER BY 1"
            : $"SELECT (bucket_ms / @Bucket) * @Bucket AS at_ms, MIN(min) AS min, SUM(sum) / CAST(SUM(count) AS DOUBLE PRECISION) AS avg, MAX(max) AS max FROM {resolution.Table} WHERE series_id = @SeriesId AND bucket_ms >= @From AND bucket_ms < @To GROUP BY 1 ORDER BY 1";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PointRow>(
            new CommandDefinition(sql, new { SeriesId = seriesId, From = SensorStore.Floor(fromMs, resolution.SizeMs), To = toMs, Bucket = bucketMs }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// Deletes readings past each resolution's age; returns the rows deleted. Series by series, each in its own short
    /// transaction on the (series, time) key: a fleet's week of raw readings is hundreds of millions of rows, and a
    /// scan of them, or one transaction deleting a backlog of them, would hold ingest up.
    /// </summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset raw, DateTimeOffset minute, DateTimeOffset hour, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var series in await ListSeriesAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            deleted += await database.WriteAsync(
                async (connection, transaction) =>
                {
                    var values = new { SeriesId = series.Id, Raw = raw.ToUnixTimeMilliseconds(), Minute = minute.ToUnixTimeMilliseconds(), Hour = hour.ToUnixTimeMilliseconds() };
                    return await connection.ExecuteAsync("DELETE FROM sensor_readings WHERE series_id = @SeriesId AND at_ms < @Raw", values, transaction).ConfigureAwait(false)
                        + await connection.ExecuteAsync("DELETE FROM sensor_minutes WHERE series_id = @SeriesId AND bucket_ms < @Minute", values, transaction).ConfigureAwait(false)
                        + await connection.ExecuteAsync("DELETE FROM sensor_hours WHERE series_id = @SeriesId AND bucket_ms < @Hour", values, transaction).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }
}

/// <summary>A resolution of readings: its name in the API, its table, and its smallest bucket.</summary>
internal sealed record SensorResolution(string Name, string Table, long SizeMs);

internal sealed record SensorRow
{
    public string NodeId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string PluginId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string State { get; init; } = "";
    public string Error { get; init; } = "";
    public long? LastReadMs { get; init; }
    public long UpdatedMs { get; init; }
    public bool Listed { get; init; }
}

internal sealed record SeriesRow
{
    public long Id { get; init; }
    public string NodeId { get; init; } = "";
    public string SensorId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "";
    public double? LastValue { get; init; }
    public long? LastMs { get; init; }
}

internal sealed record PointRow
{
    public long AtMs { get; init; }
    public double Min { get; init; }
    public double Avg { get; init; }
    public double Max { get; init; }
}
