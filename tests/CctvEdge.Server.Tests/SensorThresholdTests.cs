using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Server.Notifications.Sensors;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>Thresholds: saved by admins through the API, and sensor events opened and closed as readings are stored.</summary>
public sealed class SensorThresholdTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PutThresholds_Admin_SavedAndReadBack()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);

        using var put = await server.Http.PutAsJsonAsync("/api/sensors/barn/bme/thresholds", new object[]
        {
            new { name = "temperature", min = -5.0, max = 30.0, sustainSeconds = 60 },
            new { name = "humidity", max = 90.0 },
        });
        var read = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/sensors/barn/bme/thresholds"))!;

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["humidity", "temperature"], read!.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal((-5.0, 30.0, 60), (read[1].GetProperty("min").GetDouble(), read[1].GetProperty("max").GetDouble(), read[1].GetProperty("sustainSeconds").GetInt32()));
        Assert.Equal((JsonValueKind.Null, 90.0, 0), (read[0].GetProperty("min").ValueKind, read[0].GetProperty("max").GetDouble(), read[0].GetProperty("sustainSeconds").GetInt32()));
    }

    [Theory]
    [InlineData("""[{"name":"temperature"}]""", "[0]")]
    [InlineData("""[{"name":"temperature","min":30,"max":10}]""", "[0].max")]
    [InlineData("""[{"name":"temperature","max":10,"sustainSeconds":-1}]""", "[0].sustainSeconds")]
    [InlineData("""[{"name":"t","max":1},{"name":"t","max":2}]""", "[1].name")]
    [InlineData("""[{"name":"","max":1}]""", "[0].name")]
    public async Task PutThresholds_Invalid_ProblemNamingTheField(string body, string field)
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);

        using var response = await server.Http.PutAsync("/api/sensors/barn/bme/thresholds", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Fact]
    public async Task PutThresholds_UnknownSensorOrViewer_NotFoundOrForbidden()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server);
        using var viewer = await server.ViewerClientAsync();
        var body = new[] { new { name = "temperature", max = 30.0 } };

        using var unknown = await server.Http.PutAsJsonAsync("/api/sensors/barn/nope/thresholds", body);
        using var forbidden = await viewer.PutAsJsonAsync("/api/sensors/barn/bme/thresholds", body);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (unknown.StatusCode, forbidden.StatusCode));
        Assert.Empty((await server.Http.GetFromJsonAsync<JsonElement[]>("/api/sensors/barn/bme/thresholds"))!);
    }

    [Fact]
    public async Task Readings_OutOfRangeForSustainSeconds_SensorEventOpensThenClosesWhenBack()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn", SensorNode.Bme(camera: "yard"));
        using var put = await server.Http.PutAsJsonAsync("/api/sensors/barn/bme/thresholds", new[] { new { name = "temperature", min = (double?)null, max = (double?)30.0, sustainSeconds = 60 } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var watcher = server.Services.GetRequiredService<SensorThresholdWatcher>();

        // Out of range for 30 s only, then back: no event.
        await SendAndWaitAsync(watcher, node, node.Reading("temperature", 31, T0, camera: "yard"), node.Reading("temperature", 32, T0.AddSeconds(30), camera: "yard"), node.Reading("temperature", 29, T0.AddSeconds(40), camera: "yard"));
        Assert.Empty(await SensorEventsAsync(server));

        // Out from 100 s on: at 161 s it has been out for 61 s.
        await SendAndWaitAsync(watcher, node, node.Reading("temperature", 31, T0.AddSeconds(100), camera: "yard"), node.Reading("temperature", 35.5, T0.AddSeconds(130), camera: "yard"));
        Assert.Empty(await SensorEventsAsync(server));
        await SendAndWaitAsync(watcher, node, node.Reading("temperature", 33, T0.AddSeconds(161), camera: "yard"));
        var opened = Assert.Single(await SensorEventsAsync(server));
        Assert.Equal(("barn", "yard", "server", T0.AddSeconds(100).ToUnixTimeMilliseconds(), (long?)null), (opened.NodeId, opened.CameraId, opened.PluginId, opened.StartMs, opened.EndMs));
        var payload = JsonDocument.Parse(opened.PayloadJson).RootElement;
        Assert.Equal(("bme", "temperature", 33.0, 30.0), (payload.GetProperty("sensor").GetString(), payload.GetProperty("name").GetString(), payload.GetProperty("value").GetDouble(), payload.GetProperty("max").GetDouble()));
        Assert.Equal("temperature 33 °C above max 30 °C", payload.GetProperty("reason").GetString());

        // Still out: the same event stays open; back in range: it ends at that reading.
        await SendAndWaitAsync(watcher, node, node.Reading("temperature", 34, T0.AddSeconds(190), camera: "yard"), node.Reading("temperature", 25, T0.AddSeconds(220), camera: "yard"));
        var closed = Assert.Single(await SensorEventsAsync(server));
        Assert.Equal((opened.Id, T0.AddSeconds(220).ToUnixTimeMilliseconds()), (closed.Id, closed.EndMs));

        // The REST API lists it with the other events, by kind, for rules and scripts.
        var listed = await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events?kind=sensor");
        Assert.Equal(opened.Id, Assert.Single(listed!).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Readings_OutOfRange_RuleOfKindSensorSendsTheEventToItsWebhook()
    {
        await using var server = await InProcessServer.StartAsync("--Notifications:IntervalSeconds", "0.2");
        using var receiver = new CctvEdge.Harness.HookListener();
        var channel = await Notifications.NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Farm hook", kind = "webhook", settings = new { url = receiver.Url } });
        await Notifications.NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Freezer", kinds = new[] { "sensor" }, channels = new[] { channel }, cooldownSeconds = 0 });
        using var node = await SensorNode.ConnectAsync(server);
        using var put = await server.Http.PutAsJsonAsync("/api/sensors/barn/bme/thresholds", new[] { new { name = "temperature", max = -15.0, sustainSeconds = 0 } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await node.SendAsync(node.Reading("temperature", -12, DateTimeOffset.UtcNow));

        var hook = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.TryPeek(out var h) ? h : null), Timeout, "the sensor event's webhook");
        var sent = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal(("Freezer", "barn", "sensor"), (sent.GetProperty("rule").GetString(), sent.GetProperty("event").GetProperty("node").GetString(), sent.GetProperty("event").GetProperty("kind").GetString()));
    }

    private static async Task SendAndWaitAsync(SensorThresholdWatcher watcher, SensorNode node, params CctvEdge.Protocol.V1.Result[] readings)
    {
        var before = watcher.Evaluated;
        await node.SendAsync(readings);
        await Eventually.TrueAsync(() => watcher.Evaluated > before, Timeout, "the threshold watcher to check the batch");
    }

    private static async Task<List<EventRow>> SensorEventsAsync(InProcessServer server)
    {
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<EventRow>("SELECT id, node_id, camera_id, plugin_id, start_ms, end_ms, payload_json FROM events WHERE kind = 'sensor' ORDER BY id")).ToList();
    }

    private sealed record EventRow
    {
        public long Id { get; init; }
        public string NodeId { get; init; } = "";
        public string CameraId { get; init; } = "";
        public string PluginId { get; init; } = "";
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string PayloadJson { get; init; } = "";
    }
}
