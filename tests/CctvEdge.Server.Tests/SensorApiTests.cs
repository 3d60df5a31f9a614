using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>The sensors REST API over real HTTP: the list, readings at each resolution, CSV, and refusals by field.</summary>
public sealed class SensorApiTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private SensorNode _node = null!;
    private DateTimeOffset _now;
    private DateTimeOffset _base;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        _node = await SensorNode.ConnectAsync(_server, "barn", SensorNode.Bme(), SensorNode.Accel(), new() { Id = "freezer", Name = "Freezer", PluginId = "sense", Kind = "ds18b20" });
        _now = DateTimeOffset.UtcNow;
        // A two-minute boundary 40 minutes ago: the day chart's buckets are two minutes wide and start on such a boundary.
        _base = DateTimeOffset.FromUnixTimeMilliseconds(SensorStore.Floor(_now.AddMinutes(-40).ToUnixTimeMilliseconds(), 120_000));
        await _node.SendAsync(
            _node.Reading("temperature", 20, _base),
            _node.Reading("temperature", 22, _base.AddSeconds(60)),
            _node.Reading("temperature", 24, _base.AddSeconds(70)),
            _node.Reading("humidity", 55.5, _base.AddSeconds(5), unit: "%"),
            _node.Reading("temperature", 23, _now.AddMinutes(-1)),
            _node.Reading("accel.x", 0.01, _now.AddMinutes(-1), unit: "g", sensor: "gate-accel", camera: "yard"),
            _node.Reading("accel.y", -0.02, _now.AddMinutes(-1), unit: "g", sensor: "gate-accel", camera: "yard"),
            _node.Reading("accel.z", 0.98, _now.AddMinutes(-1), unit: "g", sensor: "gate-accel", camera: "yard"));
    }

    public async Task DisposeAsync()
    {
        _node.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetSensors_EachSensor_ShapeWithUnitsLastValuesAndStale()
    {
        var sensors = (await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/sensors"))!;

        Assert.Equal(["bme", "freezer", "gate-accel"], sensors!.Select(s => s.GetProperty("id").GetString()).Order());
        var bme = sensors.Single(s => s.GetProperty("id").GetString() == "bme");
        Assert.Equal(
            ["node", "id", "name", "kind", "plugin", "camera", "state", "error", "units", "last", "lastSeen", "stale"],
            bme.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("barn", "Barn air", "bme280", "sense", "", "running", ""), (bme.GetProperty("node").GetString(), bme.GetProperty("name").GetString(), bme.GetProperty("kind").GetString(), bme.GetProperty("plugin").GetString(), bme.GetProperty("camera").GetString(), bme.GetProperty("state").GetString(), bme.GetProperty("error").GetString()));
        Assert.Equal("°C", bme.GetProperty("units").GetProperty("temperature").GetString());
        Assert.Equal("%", bme.GetProperty("units").GetProperty("humidity").GetString());
        Assert.Equal(23, bme.GetProperty("last").GetProperty("temperature").GetDouble());
        Assert.Equal(55.5, bme.GetProperty("last").GetProperty("humidity").GetDouble());
        Assert.Equal(_now.AddMinutes(-1).ToUnixTimeMilliseconds(), bme.GetProperty("lastSeen").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.False(bme.GetProperty("stale").GetBoolean());
        var accel = sensors.Single(s => s.GetProperty("id").GetString() == "gate-accel");
        Assert.Equal("yard", accel.GetProperty("camera").GetString());
        Assert.Equal(0.98, accel.GetProperty("last").GetProperty("accel.z").GetDouble());
        var freezer = sensors.Single(s => s.GetProperty("id").GetString() == "freezer");
        Assert.Equal(JsonValueKind.Null, freezer.GetProperty("lastSeen").ValueKind);
        Assert.True(freezer.GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task GetReadings_LastHour_RawPointsOfEachSeries()
    {
        var readings = await GetReadingsAsync("bme", _now.AddHours(-1), _now);

        Assert.Equal(("barn", "bme", "raw"), (readings.GetProperty("node").GetString(), readings.GetProperty("sensor").GetString(), readings.GetProperty("resolution").GetString()));
        var series = readings.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["humidity", "temperature"], series.Keys.Order());
        Assert.Equal("°C", series["temperature"].GetProperty("unit").GetString());
        var points = series["temperature"].GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([20.0, 22, 24, 23], points.Select(p => p.GetProperty("avg").GetDouble()));
        Assert.All(points, p => Assert.Equal(p.GetProperty("min").GetDouble(), p.GetProperty("max").GetDouble()));
        Assert.Equal(["at", "min", "avg", "max"], points[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task GetReadings_LastDay_MinuteRollupsMergedWithWeightedMean()
    {
        var readings = await GetReadingsAsync("bme", _now.AddDays(-1), _now);

        Assert.Equal("minute", readings.GetProperty("resolution").GetString());
        var temperature = readings.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "temperature");
        var first = temperature.GetProperty("points").EnumerateArray().First();
        // 20 in the first minute, 22 and 24 in the second: one two-minute bucket whose mean weighs each reading once.
        Assert.Equal((_base, 20.0, 22.0, 24.0), (first.GetProperty("at").GetDateTimeOffset(), first.GetProperty("min").GetDouble(), first.GetProperty("avg").GetDouble(), first.GetProperty("max").GetDouble()));
    }

    [Fact]
    public async Task GetReadings_LastYear_HourRollupsAtMostAThousandPoints()
    {
        var readings = await GetReadingsAsync("bme", _now.AddDays(-365), _now);

        Assert.Equal("hour", readings.GetProperty("resolution").GetString());
        var points = readings.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "temperature").GetProperty("points").EnumerateArray().ToList();
        Assert.InRange(points.Count, 1, 2);
        Assert.Equal((20.0, 24.0), (points.Min(p => p.GetProperty("min").GetDouble()), points.Max(p => p.GetProperty("max").GetDouble())));
    }

    [Fact]
    public async Task GetReadingsCsv_LastHour_HeaderAndOneLinePerPoint()
    {
        var csv = await _server.Http.GetStringAsync($"/api/sensors/barn/bme/readings.csv?from={Iso(_now.AddHours(-1))}&to={Iso(_now)}");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("at,name,unit,min,avg,max", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Contains($"{_base.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},temperature,°C,20,20,20", lines);
        Assert.Contains($"{_base.AddSeconds(5).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},humidity,%,55.5,55.5,55.5", lines);
    }

    [Theory]
    [InlineData("/api/sensors/barn/bme/readings", "from")]
    [InlineData("/api/sensors/barn/bme/readings?from=2026-12-01T00:00:00Z", "to")]
    [InlineData("/api/sensors/barn/bme/readings?from=yesterday&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("/api/sensors/barn/bme/readings?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    [InlineData("/api/sensors/barn/bme/readings.csv?from=2026-12-01T00:00:00Z&to=soon", "to")]
    public async Task GetReadings_BadOrMissingRange_ProblemNamingIt(string url, string field)
    {
        using var response = await _server.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Theory]
    [InlineData("/api/sensors/barn/nope/readings")]
    [InlineData("/api/sensors/shed/bme/readings")]
    [InlineData("/api/sensors/barn/nope/readings.csv")]
    [InlineData("/api/sensors/barn/nope/thresholds")]
    public async Task GetReadings_UnknownSensor_NotFound(string path)
    {
        using var response = await _server.Http.GetAsync($"{path}?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no sensor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSensors_ReadTokenAndViewer_Allowed()
    {
        var token = await InProcessServer.CreateTokenAsync(_server.Http, "script", "read");
        using var bearer = _server.BearerClient(token);
        using var viewer = await _server.ViewerClientAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.WebAddress };

        using var byToken = await bearer.GetAsync("/api/sensors");
        using var byViewer = await viewer.GetAsync($"/api/sensors/barn/bme/readings?from={Iso(_now.AddHours(-1))}&to={Iso(_now)}");
        using var byNobody = await anonymous.GetAsync("/api/sensors");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (byToken.StatusCode, byViewer.StatusCode));
        Assert.NotEqual(HttpStatusCode.OK, byNobody.StatusCode);
    }

    [Fact]
    public async Task Timeline_SensorLinkedToCamera_BandUnderThatCamerasRowOnly()
    {
        var review = _server.Services.GetRequiredService<IReviewQuery>();

        // The day of the reading, not today: just after midnight the reading is still yesterday's.
        var timeline = await review.GetTimelineAsync(new EventFilter { Day = LocalDay.Of(_now.AddMinutes(-1)) }, CancellationToken.None);

        var yard = Assert.Single(timeline.Rows, r => r.Camera == new CameraKey("barn", "yard"));
        var band = Assert.Single(yard.Sensors);
        Assert.Equal(("gate-accel", "Gate", "accel.x", "g"), (band.Sensor, band.SensorName, band.Name, band.Unit));
        Assert.Equal(0.01, Assert.Single(band.Points).Avg, 6);
        Assert.DoesNotContain(timeline.Rows.SelectMany(r => r.Sensors), b => b.Sensor == "bme");
    }

    [Fact]
    public void MainSeries_Accelerometer_VibrationFirstThenTemperatureThenByName()
    {
        SensorSeries Series(string name) => new(name, "", [new SensorPoint(_now, 1, 1, 1)]);

        Assert.Equal("vibration.rms", CctvEdge.Server.Api.ReviewQuery.MainSeries([Series("accel.x"), Series("vibration.rms"), Series("temperature")])!.Name);
        Assert.Equal("temperature", CctvEdge.Server.Api.ReviewQuery.MainSeries([Series("humidity"), Series("temperature")])!.Name);
        Assert.Equal("accel.x", CctvEdge.Server.Api.ReviewQuery.MainSeries([Series("accel.y"), Series("accel.x"), new SensorSeries("temperature", "°C", [])])!.Name);
    }

    private async Task<JsonElement> GetReadingsAsync(string sensor, DateTimeOffset from, DateTimeOffset to) =>
        await _server.Http.GetFromJsonAsync<JsonElement>($"/api/sensors/barn/{sensor}/readings?from={Iso(from)}&to={Iso(to)}");

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
