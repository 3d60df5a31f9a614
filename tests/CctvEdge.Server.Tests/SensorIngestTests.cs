using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests;

/// <summary>Sensor readings through a real node session: raw rows and exact rollups, the rules of ids, and their retention.</summary>
public sealed class SensorIngestTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ingest_SensorReadings_RawRowsAndExactMinuteAndHourRollups()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);

        await node.SendAsync(
            node.Reading("temperature", 20, T0),
            node.Reading("temperature", 22.5, T0.AddSeconds(10)),
            node.Reading("temperature", 30, T0.AddSeconds(70)),
            node.Reading("temperature", 10, T0.AddHours(1).AddSeconds(5)),
            node.Reading("humidity", 55, T0.AddSeconds(5), unit: "%"));

        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        var series = (await connection.QueryAsync<(long Id, string Name, string Unit, double LastValue, long LastMs)>(
            "SELECT id, name, unit, last_value, last_ms FROM sensor_series WHERE node_id = 'barn' AND sensor_id = 'bme' ORDER BY name")).ToList();
        Assert.Equal(["humidity", "temperature"], series.Select(s => s.Name));
        var temperature = series[1];
        Assert.Equal(("°C", 10.0, T0.AddHours(1).AddSeconds(5).ToUnixTimeMilliseconds()), (temperature.Unit, temperature.LastValue, temperature.LastMs));
        var raw = (await connection.QueryAsync<(long At, double Value)>("SELECT at_ms, value FROM sensor_readings WHERE series_id = @Id ORDER BY at_ms", new { temperature.Id })).ToList();
        Assert.Equal([20, 22.5, 30, 10], raw.Select(r => r.Value));
        var minutes = (await connection.QueryAsync<(long Bucket, double Min, double Max, double Sum, long Count)>(
            "SELECT bucket_ms, min, max, sum, count FROM sensor_minutes WHERE series_id = @Id ORDER BY bucket_ms", new { temperature.Id })).ToList();
        Assert.Equal(
            [(T0.ToUnixTimeMilliseconds(), 20, 22.5, 42.5, 2L), (T0.AddMinutes(1).ToUnixTimeMilliseconds(), 30, 30, 30, 1L), (T0.AddHours(1).ToUnixTimeMilliseconds(), 10, 10, 10, 1L)],
            minutes);
        var hours = (await connection.QueryAsync<(long Bucket, double Min, double Max, double Sum, long Count)>(
            "SELECT bucket_ms, min, max, sum, count FROM sensor_hours WHERE series_id = @Id ORDER BY bucket_ms", new { temperature.Id })).ToList();
        Assert.Equal([(T0.ToUnixTimeMilliseconds(), 20, 30, 72.5, 3L), (T0.AddHours(1).ToUnixTimeMilliseconds(), 10, 10, 10, 1L)], hours);
        // Sensor readings live in their own tables, not in the cameras' measurements.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measurements"));
    }

    [Fact]
    public async Task Ingest_SameSeriesSameMillisecondTwice_CountedOnceInRawAndRollups()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);

        await node.SendAsync(node.Reading("temperature", 20, T0), node.Reading("temperature", 25, T0));

        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sensor_readings"));
        Assert.Equal((20.0, 1L), await connection.QuerySingleAsync<(double, long)>("SELECT sum, count FROM sensor_minutes"));
    }

    [Fact]
    public async Task Ingest_EmptyCameraWithSensor_AcceptedAndEventKeepsItsCamera()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn", SensorNode.Bme(), SensorNode.Accel());
        var vibration = new Result
        {
            Sequence = 2,
            CameraId = "yard",
            PluginId = "sense",
            SensorId = "gate-accel",
            Event = new Event { EventId = "vib-1", Kind = "vibration", Start = Timestamp.FromDateTimeOffset(T0), Peak = 1.8 },
        };

        var acked = await node.SendAsync(SensorNode.Reading(1, "temperature", 21, T0), vibration);

        Assert.Equal(2ul, acked);
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sensor_readings"));
        Assert.Equal(("yard", "vibration"), await connection.QuerySingleAsync<(string, string)>("SELECT camera_id, kind FROM events WHERE event_id = 'vib-1'"));
    }

    [Theory]
    [InlineData("../bme", "", "sensor id '../bme' is invalid")]
    [InlineData("bme", "../yard", "camera id '../yard' is invalid")]
    [InlineData("", "", "camera id '' is invalid")]
    public void Validate_BadSensorOrCamera_Rejected(string sensor, string camera, string problem)
    {
        var result = SensorNode.Reading(1, "temperature", 20, T0, sensor: sensor, camera: camera);

        Assert.Equal(problem, ResultIngestor.Validate(result));
    }

    [Fact]
    public void Validate_FileOfSensorWithoutCamera_Rejected()
    {
        var file = new Result { Sequence = 1, PluginId = "sense", SensorId = "bme", File = new FileBlob { Kind = "image", ContentType = "image/jpeg", Data = ByteString.CopyFrom(1, 2, 3) } };

        Assert.Equal("camera id '' is invalid", ResultIngestor.Validate(file));
    }

    [Fact]
    public async Task Ingest_BadSensorId_SkippedButSequenceAdvances()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);

        var acked = await node.SendAsync(SensorNode.Reading(1, "temperature", 20, T0, sensor: "bad id"), SensorNode.Reading(2, "temperature", 21, T0));

        Assert.Equal(2ul, acked);
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        Assert.Equal([21.0], await connection.QueryAsync<double>("SELECT value FROM sensor_readings"));
        Assert.Equal(["bme"], await connection.QueryAsync<string>("SELECT id FROM sensors"));
    }

    [Fact]
    public async Task HelloAndHeartbeat_Sensors_StoredWithStateAndRemovedOnesMarked()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn", SensorNode.Bme(), SensorNode.Accel(), new SensorInfo { Id = "bad id", Name = "skipped" });
        var failed = SensorNode.Bme();
        failed.State = PluginState.Failed;
        failed.Error = "no device at 0x76";
        failed.LastReadAt = Timestamp.FromDateTimeOffset(T0);
        // A board the node took without configuring it: known by its readings only, never in the lists.
        await node.SendAsync(node.Reading("vibration", 0.12, T0, unit: "", sensor: "vib-1"));

        await node.HeartbeatAsync(failed);

        var queries = server.Services.GetRequiredService<SensorQueries>();
        var sensors = await CctvEdge.Testing.Eventually.GetAsync(
            async () => (await queries.ListSensorsAsync(CancellationToken.None)) is var list && list.Any(s => s.State == "failed") ? list : null,
            TimeSpan.FromSeconds(20),
            "the heartbeat's sensor state");
        Assert.Equal(["bme", "gate-accel", "vib-1"], sensors.Select(s => s.Id).Order());
        var bme = sensors.Single(s => s.Id == "bme");
        Assert.Equal(("Barn air", "sense", "bme280", "", "failed", "no device at 0x76", T0.ToUnixTimeMilliseconds()), (bme.Name, bme.PluginId, bme.Kind, bme.CameraId, bme.State, bme.Error, bme.LastReadMs));
        var accel = sensors.Single(s => s.Id == "gate-accel");
        Assert.Equal(("yard", "removed"), (accel.CameraId, accel.State));
        var board = sensors.Single(s => s.Id == "vib-1");
        Assert.Equal(("vib-1", "sense", "unknown", false), (board.Name, board.PluginId, board.State, board.Listed));
    }

    [Fact]
    public async Task Retention_SensorReadings_EachResolutionKeptForItsOwnDays()
    {
        await using var server = await InProcessServer.StartAsync("--Sensors:RawDays", "1", "--Sensors:MinuteDays", "10", "--Sensors:HourDays", "100", "--Retention:MinFreeGigabytes", "0");
        using var node = await SensorNode.ConnectAsync(server);
        var now = DateTimeOffset.UtcNow;
        await node.SendAsync(
            node.Reading("temperature", 1, now.AddDays(-200)),
            node.Reading("temperature", 2, now.AddDays(-50)),
            node.Reading("temperature", 3, now.AddDays(-5)),
            node.Reading("temperature", 4, now.AddHours(-1)));

        await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);

        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        Assert.Equal([4.0], await connection.QueryAsync<double>("SELECT value FROM sensor_readings ORDER BY at_ms"));
        Assert.Equal([3.0, 4.0], await connection.QueryAsync<double>("SELECT sum FROM sensor_minutes ORDER BY bucket_ms"));
        Assert.Equal([2.0, 3.0, 4.0], await connection.QueryAsync<double>("SELECT sum FROM sensor_hours ORDER BY bucket_ms"));
    }

    [Theory]
    [InlineData(0, 90, 1830, "Sensors:RawDays must be between 0.01 and 3660 (was 0).")]
    [InlineData(7, 3, 1830, "Sensors: RawDays (7) <= MinuteDays (3) <= HourDays (1830) must hold.")]
    [InlineData(7, 90, 30, "Sensors: RawDays (7) <= MinuteDays (90) <= HourDays (30) must hold.")]
    public void Validate_BadSensorOptions_NamesTheKey(double raw, double minute, double hour, string message)
    {
        var result = new SensorOptionsValidator().Validate(null, new SensorOptions { RawDays = raw, MinuteDays = minute, HourDays = hour });

        Assert.Contains(message, result.Failures!);
        Assert.True(new SensorOptionsValidator().Validate(null, new SensorOptions()).Succeeded);
    }
}
