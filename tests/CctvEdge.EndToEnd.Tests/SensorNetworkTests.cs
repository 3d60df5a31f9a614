using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Sensors with real processes: a node reading a simulated BME280 every second and taking a board's posts, a server
/// that goes away for a while (what the node read or was told meanwhile reaches the server once it is back, once), and
/// a board's outputs set through the server's API.
/// </summary>
public sealed class SensorNetworkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ReadingsMadeWhileTheServerIsDown_ArriveOnceItReturns()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { Sensors = true });
        await Eventually.TrueAsync(async () => (await LastSeenAsync(network, "barn")) is not null, Timeout, "the barn sensor's first readings on the server");

        network.Server.Process.Kill();
        await network.Server.DisposeAsync();
        var downFrom = DateTimeOffset.UtcNow;
        using var board = new HttpClient();
        var posted = await board.PostAsync(network.BoardInput, new StringContent(
            $$"""{"device": "vib-1", "token": "board", "values": {"vibration": 0.4242}, "at": "{{downFrom.AddSeconds(1):O}}"}""", Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        await Task.Delay(TimeSpan.FromSeconds(6));
        var downTo = DateTimeOffset.UtcNow;
        await network.StartServerAsync();

        // The barn kept reading about once a second while the server was away; all of it arrives.
        var barn = await Eventually.GetAsync(
            async () => await PointsAsync(network, "barn", "temperature", downFrom, downTo) is { Count: >= 4 } points ? points : null,
            Timeout,
            "the barn's readings from the outage");
        Assert.All(barn, p => Assert.InRange(p.GetProperty("avg").GetDouble(), -20, 50));
        var vibration = await Eventually.GetAsync(
            async () => await PointsAsync(network, "vib-1", "vibration", downFrom, downTo) is { Count: > 0 } points ? points : null,
            Timeout,
            "the board's reading from the outage");
        Assert.Equal(0.4242, Assert.Single(vibration).GetProperty("avg").GetDouble());
        var sensor = (await network.Http.GetFromJsonAsync<JsonElement[]>("api/sensors"))!.Single(s => s.GetProperty("id").GetString() == "barn");
        Assert.Equal(("e2e-node", "yard", "bme280"), (sensor.GetProperty("node").GetString(), sensor.GetProperty("camera").GetString(), sensor.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task BoardOutputs_SetThroughTheApi_ReachTheBoardOnItsNode()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { Sensors = true });
        await Eventually.TrueAsync(async () => (await LastSeenAsync(network, "barn")) is not null, Timeout, "the node connected with its sensors");
        using var board = new HttpClient();
        var output = new Uri(network.BoardInput, "/output?device=vib-1&token=board");

        var set = await network.Http.PutAsJsonAsync("api/sensors/e2e-node/vib-1/outputs", new { relay = true, siren = 2, mode = "pulse" });

        Assert.Equal(System.Net.HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("""{"outputs":{"mode":"pulse","relay":true,"siren":2}}""", await board.GetStringAsync(output));

        // Not a board: the node refuses and says why; nothing changes.
        var refused = await network.Http.PutAsJsonAsync("api/sensors/e2e-node/barn/outputs", new { relay = false });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("'barn' is not a microcontroller of this node", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var invalid = await network.Http.PutAsJsonAsync("api/sensors/e2e-node/vib-1/outputs", new { relay = new[] { 1, 2 } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);

        // A node that is not connected: said, not queued.
        network.Node.Kill();
        await Eventually.TrueAsync(async () => (await network.NodeStatusAsync()).GetProperty("online").GetBoolean() == false, Timeout, "the node to drop off");
        var offline = await network.Http.PutAsJsonAsync("api/sensors/e2e-node/vib-1/outputs", new { relay = false });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, offline.StatusCode);
    }

    private static async Task<DateTimeOffset?> LastSeenAsync(DemoNetwork network, string id)
    {
        var sensors = await network.Http.GetFromJsonAsync<JsonElement[]>("api/sensors");
        return sensors!.FirstOrDefault(s => s.GetProperty("id").GetString() == id) is { ValueKind: JsonValueKind.Object } sensor
            && sensor.GetProperty("lastSeen").ValueKind == JsonValueKind.String
            ? sensor.GetProperty("lastSeen").GetDateTimeOffset()
            : null;
    }

    private static async Task<List<JsonElement>> PointsAsync(DemoNetwork network, string sensor, string name, DateTimeOffset from, DateTimeOffset to)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"api/sensors/e2e-node/{sensor}/readings?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        var readings = await network.Http.GetFromJsonAsync<JsonElement>(url);
        return readings.GetProperty("series").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == name)
            .SelectMany(s => s.GetProperty("points").EnumerateArray())
            .ToList();
    }
}
