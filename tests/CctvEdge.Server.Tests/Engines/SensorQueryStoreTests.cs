using CctvEdge.Harness;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// Sensors, their series and readings as the sensor pages read them (SensorQueries): buckets of raw readings by
/// integer division, rollups merged into larger buckets with the mean weighted by their counts, and retention.
/// </summary>
public abstract class SensorQueryStoreTests : EngineStoreTests
{
    private protected SensorQueryStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private SensorQueries Queries => new(Database);

    [Fact]
    public async Task Sensors_ListedAndKnownByReadings_ListFindAndSeriesByName()
    {
        await Database.WriteAsync(
            (connection, transaction) => SensorStore.UpsertAsync(
                connection,
                transaction,
                Database.Dialect,
                "barn",
                [new SensorInfo { Id = "bme", Name = "air", Kind = "bme280", PluginId = "i2c", State = PluginState.Running }, new SensorInfo { Id = "ds", Name = "water", Kind = "ds18b20", PluginId = "onewire" }],
                T0.ToUnixTimeMilliseconds()),
            CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Reading(1, "bme", "temperature", 20, T0, "°C"), Reading(2, "bme", "humidity", 60, T0, "%"), Reading(3, "board", "temperature", 5, T0)], CancellationToken.None);

        var sensors = await Queries.ListSensorsAsync(CancellationToken.None);
        var bme = await Queries.FindSensorAsync("barn", "bme", CancellationToken.None);
        var series = await Queries.ListSeriesAsync(null, null, CancellationToken.None);
        var bmeSeries = await Queries.ListSeriesAsync("barn", "bme", CancellationToken.None);

        Assert.Equal([("air", true), ("board", false), ("water", true)], sensors.Select(s => (s.Name, s.Listed)));
        Assert.Equal(("bme280", "running", "i2c"), (bme!.Kind, bme.State, bme.PluginId));
        Assert.Null(await Queries.FindSensorAsync("shed", "bme", CancellationToken.None));
        Assert.Equal([("bme", "humidity"), ("bme", "temperature"), ("board", "temperature")], series.Select(s => (s.SensorId, s.Name)));
        Assert.Equal([("humidity", "%", 60.0), ("temperature", "°C", 20.0)], bmeSeries.Select(s => (s.Name, s.Unit, s.LastValue!.Value)));
        Assert.Equal(T0.ToUnixTimeMilliseconds(), bmeSeries[0].LastMs);
    }

    [Fact]
    public async Task Points_RawAndRollups_BucketsWithMinWeightedMeanAndMax()
    {
        var seriesId = await StoreTemperaturesAsync();
        var (from, to) = (T0.AddSeconds(30).ToUnixTimeMilliseconds(), T0.AddHours(2).ToUnixTimeMilliseconds());

        var raw = await Queries.PointsAsync(seriesId, SensorQueries.Raw, T0.ToUnixTimeMilliseconds(), to, 60_000, CancellationToken.None);
        var minutes = await Queries.PointsAsync(seriesId, SensorQueries.Minute, from, to, 120_000, CancellationToken.None);
        var hours = await Queries.PointsAsync(seriesId, SensorQueries.Hour, from, to, 3_600_000, CancellationToken.None);

        // A raw bucket is dated by its first reading; the two-minute bucket's mean is 60 / 3, not the mean of the minutes' means.
        Assert.Equal([(Ms(0), 10.0, 15.0, 20.0), (Ms(70), 30.0, 30.0, 30.0), (Ms(3600), 40.0, 40.0, 40.0)], raw.Select(Point));
        Assert.Equal([(Ms(0), 10.0, 20.0, 30.0), (Ms(3600), 40.0, 40.0, 40.0)], minutes.Select(Point));
        Assert.Equal([(Ms(0), 10.0, 20.0, 30.0), (Ms(3600), 40.0, 40.0, 40.0)], hours.Select(Point));
        Assert.Empty(await Queries.PointsAsync(seriesId, SensorQueries.Raw, Ms(3601), to, 60_000, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteBefore_EachResolutionsAge_OnlyOlderRowsOfEverySeries()
    {
        var seriesId = await StoreTemperaturesAsync();
        await Ingestor.StoreAsync("shed", [Reading(1, "sht", "humidity", 50, T0.AddHours(2))], CancellationToken.None);

        var deleted = await Queries.DeleteBeforeAsync(T0.AddSeconds(60), T0.AddSeconds(60), T0.AddHours(1), CancellationToken.None);

        Assert.Equal(4, deleted);
        var raw = await Queries.PointsAsync(seriesId, SensorQueries.Raw, 0, T0.AddDays(1).ToUnixTimeMilliseconds(), 1, CancellationToken.None);
        Assert.Equal([Ms(70), Ms(3600)], raw.Select(p => p.AtMs));
        Assert.Equal(2, (await Queries.PointsAsync(seriesId, SensorQueries.Minute, 0, T0.AddDays(1).ToUnixTimeMilliseconds(), 60_000, CancellationToken.None)).Count);
        Assert.Single(await Queries.PointsAsync(seriesId, SensorQueries.Hour, 0, T0.AddDays(1).ToUnixTimeMilliseconds(), 3_600_000, CancellationToken.None));
        Assert.Equal(0, await Queries.DeleteBeforeAsync(T0, T0, T0, CancellationToken.None));
    }

    private static long Ms(int seconds) => T0.AddSeconds(seconds).ToUnixTimeMilliseconds();

    private static (long, double, double, double) Point(PointRow p) => (p.AtMs, p.Min, p.Avg, p.Max);

    private static Result Reading(ulong sequence, string sensor, string name, double value, DateTimeOffset at, string unit = "") => new()
    {
        Sequence = sequence,
        SensorId = sensor,
        PluginId = "i2c",
        Measurement = new Measurement { Name = name, Value = value, Unit = unit, At = Timestamp.FromDateTimeOffset(at) },
    };

    /// <summary>Barn's bme temperature: 10 and 20 in the first minute, 30 in the second, 40 an hour on; returns its series id.</summary>
    private async Task<long> StoreTemperaturesAsync()
    {
        await Ingestor.StoreAsync(
            "barn",
            [Reading(1, "bme", "temperature", 10, T0), Reading(2, "bme", "temperature", 20, T0.AddSeconds(10)), Reading(3, "bme", "temperature", 30, T0.AddSeconds(70)), Reading(4, "bme", "temperature", 40, T0.AddHours(1))],
            CancellationToken.None);
        return Assert.Single(await Queries.ListSeriesAsync("barn", "bme", CancellationToken.None)).Id;
    }
}

public sealed class SqliteSensorQueryStoreTests() : SensorQueryStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresSensorQueryStoreTests(PostgresFixture postgres) : SensorQueryStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
