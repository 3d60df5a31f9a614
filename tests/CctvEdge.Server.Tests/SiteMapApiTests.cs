using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Server.Maps;
using CctvEdge.Server.Notifications.Sensors;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>Site maps (<c>/api/maps</c>): plans, pins at relative spots, the pins' status, and what is refused.</summary>
public sealed class SiteMapApiTests
{
    /// <summary>A real 1x1 PNG: only its first bytes matter to the server, but it stays a valid image for anyone who opens it.</summary>
    internal static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task CreateUploadPinRead_PlanServedBackAndPinsShowTheirDevicesStatus()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn", SensorNode.Bme(camera: "yard"));
        await WaitForDevicesAsync(server, 2);

        using var created = await server.Http.PostAsJsonAsync("/api/maps", new { site = "", name = " Yard " });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var upload = await server.Http.PutAsync($"/api/maps/{id}/image", Bytes(Png, "image/png"));
        using var pinned = await server.Http.PutAsJsonAsync($"/api/maps/{id}/pins", new object[]
        {
            new { kind = "camera", node = "barn", camera = "yard", x = 0.25, y = 0.75 },
            new { kind = "sensor", node = "barn", sensor = "bme", x = 1.0, y = 0.0 },
        });
        var before = await MapAsync(server.Http, id);
        await node.SendAsync(NodeSessionClient.Event(1, "e1", DateTimeOffset.UtcNow.AddMinutes(-2), camera: "yard"));
        await server.Services.GetRequiredService<SensorEventStore>().RaiseAsync("barn", "yard", "bme", "temperature", DateTimeOffset.UtcNow.AddMinutes(-30), 41, new { sensor = "bme", name = "temperature" }, CancellationToken.None);
        var after = await MapAsync(server.Http, id);
        var shortWindow = await MapAsync(server.Http, id, "?recentMinutes=1");
        using var image = await server.Http.GetAsync(new Uri(after.GetProperty("imageUrl").GetString()!, UriKind.Relative));
        var listed = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/maps?site="))!;
        using var renamed = await server.Http.PutAsJsonAsync($"/api/maps/{id}", new { site = "north", name = "Yard at night" });
        var inNorth = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/maps?site=north"))!;
        using var deleted = await server.Http.DeleteAsync($"/api/maps/{id}");
        using var gone = await server.Http.GetAsync($"/api/maps/{id}");
        using var imageGone = await server.Http.GetAsync($"/api/maps/{id}/image");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (upload.StatusCode, pinned.StatusCode));
        Assert.Equal("Yard", after.GetProperty("name").GetString());
        Assert.Equal(["online", "online"], Pins(before).Select(p => p.GetProperty("status").GetString()));
        var camera = Pins(after).Single(p => p.GetProperty("kind").GetString() == "camera");
        var sensor = Pins(after).Single(p => p.GetProperty("kind").GetString() == "sensor");
        Assert.Equal(("barn", "yard", "YARD", 0.25, 0.75), (camera.GetProperty("node").GetString(), camera.GetProperty("camera").GetString(), camera.GetProperty("name").GetString(), camera.GetProperty("x").GetDouble(), camera.GetProperty("y").GetDouble()));
        Assert.False(camera.TryGetProperty("sensor", out _));
        Assert.Equal("event", camera.GetProperty("status").GetString());
        Assert.True(camera.GetProperty("latestEventId").GetInt64() > 0);
        Assert.Equal("live/barn/yard", camera.GetProperty("livePath").GetString());
        Assert.Equal(("bme", "Barn air", 1.0, 0.0), (sensor.GetProperty("sensor").GetString(), sensor.GetProperty("name").GetString(), sensor.GetProperty("x").GetDouble(), sensor.GetProperty("y").GetDouble()));
        Assert.Equal("online", sensor.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, sensor.GetProperty("lastEvent").ValueKind);
        Assert.Equal("live/barn/yard", sensor.GetProperty("livePath").GetString());
        Assert.Equal(["online", "online"], Pins(shortWindow).Select(p => p.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(TimeSpan.FromDays(365), image.Headers.CacheControl?.MaxAge);
        Assert.True(image.Headers.CacheControl?.Private);
        Assert.Equal(id, Assert.Single(listed).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(("north", "Yard at night"), (Assert.Single(inNorth).GetProperty("site").GetString(), inNorth[0].GetProperty("name").GetString()));
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (deleted.StatusCode, gone.StatusCode, imageGone.StatusCode));
    }

    [Fact]
    public async Task Pins_NodeDisconnects_ShowOffline()
    {
        await using var server = await InProcessServer.StartAsync();
        var node = await SensorNode.ConnectAsync(server, "barn");
        await WaitForDevicesAsync(server, 2);
        var id = await CreateAsync(server.Http, "Yard");
        (await server.Http.PutAsJsonAsync($"/api/maps/{id}/pins", new[] { new { kind = "camera", node = "barn", camera = "yard", x = 0.5, y = 0.5 } })).EnsureSuccessStatusCode();

        node.Dispose();
        var offline = await Eventually.GetAsync(
            async () => Pins(await MapAsync(server.Http, id)).Single().GetProperty("status").GetString() == "offline" ? "offline" : null,
            TimeSpan.FromSeconds(20),
            "the pin to show the node offline");

        Assert.Equal("offline", offline);
    }

    [Fact]
    public async Task BadInput_RefusedNamingTheFieldAndNothingChanged()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn");
        await WaitForDevicesAsync(server, 2);
        var id = await CreateAsync(server.Http, "Yard");
        var good = new { kind = "camera", node = "barn", camera = "yard", x = 0.5, y = 0.5 };
        (await server.Http.PutAsJsonAsync($"/api/maps/{id}/pins", new[] { good })).EnsureSuccessStatusCode();

        var pinRefusals = new (object Body, string Field, string Says)[]
        {
            (new object[] { good with { x = 1.5 } }, "pins[0].x", "from 0 to 1 (was 1.5)"),
            (new object[] { good, new { kind = "camera", node = "barn", camera = "yard", x = 0.1, y = -0.1 } }, "pins[1].y", "from 0 to 1"),
            (new object[] { new { kind = "camera", node = "barn", x = 0.1, y = 0.1 } }, "pins[0].camera", "is required"),
            (new object[] { new { kind = "camera", node = "barn", camera = "yard", y = 0.1 } }, "pins[0].x", "(was missing)"),
            (new object[] { good with { camera = "ghost" } }, "pins[0].camera", "'barn.ghost' is not a camera of any node"),
            (new object[] { new { kind = "sensor", node = "barn", sensor = "ghost", x = 0.1, y = 0.1 } }, "pins[0].sensor", "not a sensor"),
            (new object[] { new { kind = "door", node = "barn", camera = "yard", x = 0.1, y = 0.1 } }, "pins[0].kind", "camera or sensor"),
            (new object[] { good, good }, "pins[1]", "a second time"),
        };
        foreach (var (body, field, says) in pinRefusals)
        {
            using var response = await server.Http.PutAsJsonAsync($"/api/maps/{id}/pins", body);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field, says);
        }

        using var notImage = await server.Http.PutAsync($"/api/maps/{id}/image", Bytes("GIF89a not a plan"u8.ToArray(), "image/png"));
        using var empty = await server.Http.PutAsync($"/api/maps/{id}/image", Bytes([], "image/png"));
        using var tooLarge = await server.Http.PutAsync($"/api/maps/{id}/image", Bytes([.. Png, .. new byte[PlanImage.MaxBytes]], "image/png"));
        using var noName = await server.Http.PostAsJsonAsync("/api/maps", new { site = "north", name = " " });
        using var taken = await server.Http.PostAsJsonAsync("/api/maps", new { site = "", name = "YARD" });
        using var otherSite = await server.Http.PostAsJsonAsync("/api/maps", new { site = "north", name = "Yard" });
        using var badWindow = await server.Http.GetAsync($"/api/maps/{id}?recentMinutes=0");
        using var unknownPins = await server.Http.PutAsJsonAsync("/api/maps/999/pins", new[] { good });
        using var unknownImage = await server.Http.PutAsync("/api/maps/999/image", Bytes(Png, "image/png"));
        using var noImage = await server.Http.GetAsync($"/api/maps/{id}/image");

        await AssertProblemAsync(notImage, HttpStatusCode.BadRequest, "image", "PNG or JPEG");
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "image", "is empty");
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "image", $"at most {PlanImage.MaxBytes} bytes");
        await AssertProblemAsync(noName, HttpStatusCode.BadRequest, "name", "1 to 60 characters");
        await AssertProblemAsync(badWindow, HttpStatusCode.BadRequest, "recentMinutes", "between 1 and 1440");
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherSite.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknownPins.StatusCode, unknownImage.StatusCode, noImage.StatusCode));
        var map = await MapAsync(server.Http, id);
        Assert.Equal(JsonValueKind.Null, map.GetProperty("imageUrl").ValueKind);
        Assert.Equal((0.5, 0.5), Pins(map).Select(p => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble())).Single());
    }

    [Fact]
    public async Task Writes_ViewerRefused_ViewerStillReads()
    {
        await using var server = await InProcessServer.StartAsync();
        var id = await CreateAsync(server.Http, "Yard");
        using var viewer = await server.ViewerClientAsync();

        using var create = await viewer.PostAsJsonAsync("/api/maps", new { name = "Mine" });
        using var pins = await viewer.PutAsJsonAsync($"/api/maps/{id}/pins", Array.Empty<object>());
        using var image = await viewer.PutAsync($"/api/maps/{id}/image", Bytes(Png, "image/png"));
        using var delete = await viewer.DeleteAsync($"/api/maps/{id}");
        using var read = await viewer.GetAsync($"/api/maps/{id}");

        Assert.All([create, pins, image, delete], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Store_DeleteAndClearPlan_TakeImagesAndPinsWithThem()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn");
        await WaitForDevicesAsync(server, 2);
        var store = server.Services.GetRequiredService<SiteMapStore>();
        var (_, id) = await store.SaveAsync(null, "north", "Barn inside", "admin", CancellationToken.None);
        await store.SetImageAsync(id, "image/png", Png, "admin", CancellationToken.None);
        await store.SetPinsAsync(id, [new SiteMapPinRow("camera", "barn", "yard", 0.1, 0.2), new SiteMapPinRow("sensor", "barn", "bme", 0.3, 0.4)], "admin", CancellationToken.None);
        await store.SetPinsAsync(id, [new SiteMapPinRow("camera", "barn", "yard", 0.9, 0.8)], "admin", CancellationToken.None);
        var replaced = await store.PinsAsync(id, CancellationToken.None);
        var withPlan = await store.FindAsync(id, CancellationToken.None);
        await store.SetImageAsync(id, null, null, "admin", CancellationToken.None);
        var cleared = (await store.FindAsync(id, CancellationToken.None), await store.GetImageAsync(id, CancellationToken.None), await store.PinsAsync(id, CancellationToken.None));
        await store.SetImageAsync(id, "image/png", Png, "admin", CancellationToken.None);
        var deleted = await store.DeleteAsync(id, CancellationToken.None);
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        var leftover = await connection.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM site_map_images) + (SELECT count(*) FROM site_map_pins)");

        Assert.Equal([new SiteMapPinRow("camera", "barn", "yard", 0.9, 0.8)], replaced);
        Assert.NotNull(withPlan?.ImageMs);
        Assert.Null(cleared.Item1?.ImageMs);
        Assert.Null(cleared.Item2);
        Assert.Single(cleared.Item3);
        Assert.True(deleted);
        Assert.Equal(0, leftover);
        Assert.Empty(await store.ListAsync("north", CancellationToken.None));
    }

    [Fact]
    [Trait(TestEngine.Trait, DatabaseChoice.Sqlite)]
    public async Task LatestEventQuery_UsesTheCameraAndSensorIndexes_NeverScansEvents()
    {
        await using var server = await InProcessServer.StartAsync();
        // SQLite only (left out of the PostgreSQL run by its trait): about SQLite's planner (EXPLAIN QUERY PLAN);
        // PostgreSQL's twin indexes are spelled as its query is.
        Assert.Equal(SqlDialect.Sqlite, server.Database().Dialect);

        await using var connection = await server.Database().OpenAsync(CancellationToken.None);

        var plan = (await connection.QueryAsync("EXPLAIN QUERY PLAN " + SiteMapStore.LatestEventSql.For(SqlDialect.Sqlite), new { Id = 1 })).Select(row => (string)row.detail).ToList();

        Assert.True(plan.Any(step => step.Contains("USING INDEX events_by_camera", StringComparison.Ordinal)), string.Join(Environment.NewLine, plan));
        Assert.Contains(plan, step => step.Contains("USING INDEX events_by_sensor", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetPins_DeviceNoLongerReported_KeepsItsPlaceAsOfflineAndOtherPinsStillMove()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn");
        await WaitForDevicesAsync(server, 2);
        var id = await CreateAsync(server.Http, "Yard");
        var store = server.Services.GetRequiredService<SiteMapStore>();
        // A pin of a camera the node stopped reporting (written as the store would have kept it).
        await store.SetPinsAsync(id, [new SiteMapPinRow("camera", "barn", "yard", 0.1, 0.1), new SiteMapPinRow("camera", "barn", "old-gate", 0.9, 0.9)], "admin", CancellationToken.None);

        using var moved = await server.Http.PutAsJsonAsync($"/api/maps/{id}/pins", new[]
        {
            new { kind = "camera", node = "barn", camera = "yard", x = 0.5, y = 0.5 },
            new { kind = "camera", node = "barn", camera = "old-gate", x = 0.9, y = 0.9 },
        });
        var pins = Pins(await MapAsync(server.Http, id));

        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        var stale = pins.Single(p => p.GetProperty("camera").GetString() == "old-gate");
        Assert.Equal(("old-gate", "offline"), (stale.GetProperty("name").GetString(), stale.GetProperty("status").GetString()));
        Assert.Equal(0.5, pins.Single(p => p.GetProperty("camera").GetString() == "yard").GetProperty("x").GetDouble());
    }

    private static async Task WaitForDevicesAsync(InProcessServer server, int count) =>
        await Eventually.GetAsync(
            async () => await server.Services.GetRequiredService<SiteMapReader>().DevicesAsync(null, CancellationToken.None) is { } d && d.Count == count ? d : null,
            TimeSpan.FromSeconds(20),
            "the node's devices to be known");

    internal static async Task<long> CreateAsync(HttpClient http, string name, string site = "")
    {
        using var created = await http.PostAsJsonAsync("/api/maps", new { site, name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> MapAsync(HttpClient http, long id, string query = "") => await http.GetFromJsonAsync<JsonElement>($"/api/maps/{id}{query}");

    private static JsonElement[] Pins(JsonElement map) => map.GetProperty("pins").EnumerateArray().ToArray();

    private static ByteArrayContent Bytes(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string says)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(says, StringComparison.Ordinal));
    }
}
