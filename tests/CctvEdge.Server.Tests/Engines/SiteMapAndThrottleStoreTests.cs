using CctvEdge.Harness;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// Site maps with their plans and pins (SiteMapStore: names unique per site in any case, the pins' latest events read
/// from JSON payloads) and the sign-in lock per user name (any case) and address (SignInThrottle).
/// </summary>
public abstract class SiteMapAndThrottleStoreTests : EngineStoreTests
{
    private const string Here = "192.0.2.10";

    private protected SiteMapAndThrottleStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private SiteMapStore Maps => new(Database, Clock);

    private SignInThrottle Throttle => _throttle ??= new(Database, Clock);

    private SignInThrottle? _throttle;

    [Fact]
    public async Task Save_NamesPerSiteInAnyCase_TakenRenamedMovedAndListed()
    {
        var (created, id) = await Maps.SaveAsync(null, "north", "Barn inside", "ann", CancellationToken.None);
        var sameName = await Maps.SaveAsync(null, "north", "BARN INSIDE", "ann", CancellationToken.None);
        var (_, south) = await Maps.SaveAsync(null, "south", "barn inside", "ann", CancellationToken.None);
        var moved = await Maps.SaveAsync(south, "north", "barn Inside", "bob", CancellationToken.None);
        var renamed = await Maps.SaveAsync(south, "south", "Yard", "bob", CancellationToken.None);
        var itself = await Maps.SaveAsync(id, "north", "barn inside", "ann", CancellationToken.None);
        var missing = await Maps.SaveAsync(id + south, "north", "Other", "ann", CancellationToken.None);

        Assert.Equal(SaveOutcome.Saved, created);
        Assert.Equal((SaveOutcome.NameTaken, id), sameName);
        Assert.Equal((SaveOutcome.NameTaken, id), moved);
        Assert.Equal((SaveOutcome.Saved, south), renamed);
        Assert.Equal((SaveOutcome.Saved, id), itself);
        Assert.Equal(SaveOutcome.NotFound, missing.Outcome);
        Assert.Equal([("north", "barn inside"), ("south", "Yard")], (await Maps.ListAsync(null, CancellationToken.None)).Select(m => (m.Site, m.Name)));
        Assert.Equal(["Yard"], (await Maps.ListAsync("south", CancellationToken.None)).Select(m => m.Name));
        var yard = await Maps.FindAsync(south, CancellationToken.None);
        Assert.Equal(("bob", Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long?)null), (yard!.UpdatedBy, yard.UpdatedMs, yard.ImageMs));
    }

    [Fact]
    public async Task ImageAndPins_SetReplacedClearedAndDeletedWithTheMap()
    {
        var (_, id) = await Maps.SaveAsync(null, "north", "Barn", "ann", CancellationToken.None);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0, 255];
        byte[] jpeg = [.. png, 1];

        Assert.True(await Maps.SetImageAsync(id, "image/png", png, "ann", CancellationToken.None));
        await Maps.SetImageAsync(id, "image/jpeg", jpeg, "ann", CancellationToken.None);
        var image = await Maps.GetImageAsync(id, CancellationToken.None);
        var withPlan = await Maps.FindAsync(id, CancellationToken.None);
        Assert.True(await Maps.SetPinsAsync(id, [new SiteMapPinRow("sensor", "barn", "bme", 0.3, 0.4), new SiteMapPinRow("camera", "barn", "yard", 0.1, 0.2)], "ann", CancellationToken.None));
        await Maps.SetPinsAsync(id, [new SiteMapPinRow("sensor", "barn", "bme", 0.5, 0.25), new SiteMapPinRow("camera", "shed", "door", 1, 0)], "ann", CancellationToken.None);
        var pins = await Maps.PinsAsync(id, CancellationToken.None);
        await Maps.SetImageAsync(id, null, null, "ann", CancellationToken.None);
        var cleared = (await Maps.GetImageAsync(id, CancellationToken.None), (await Maps.FindAsync(id, CancellationToken.None))!.ImageMs);
        await Maps.SetImageAsync(id, "image/png", png, "ann", CancellationToken.None);

        Assert.Equal("image/jpeg", image!.Value.ContentType);
        Assert.Equal(jpeg, image.Value.Bytes);
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds(), withPlan!.ImageMs);
        Assert.Equal([new SiteMapPinRow("camera", "shed", "door", 1, 0), new SiteMapPinRow("sensor", "barn", "bme", 0.5, 0.25)], pins);
        Assert.Null(cleared.Item1);
        Assert.Null(cleared.Item2);
        Assert.False(await Maps.SetImageAsync(id + 1, "image/png", png, "ann", CancellationToken.None));
        Assert.False(await Maps.SetPinsAsync(id + 1, [], "ann", CancellationToken.None));
        Assert.True(await Maps.DeleteAsync(id, CancellationToken.None));
        Assert.False(await Maps.DeleteAsync(id, CancellationToken.None));
        Assert.Null(await Maps.GetImageAsync(id, CancellationToken.None));
        Assert.Empty(await Maps.PinsAsync(id, CancellationToken.None));
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT (SELECT COUNT(*) FROM site_map_images) + (SELECT COUNT(*) FROM site_map_pins)"));
    }

    [Fact]
    public async Task PinsWithLatestEvent_CameraAndSensorPins_EachDevicesNewestEventNotDeleted()
    {
        var (_, id) = await Maps.SaveAsync(null, "north", "Barn", "ann", CancellationToken.None);
        await Maps.SetPinsAsync(id, [new SiteMapPinRow("camera", "barn", "yard", 0.1, 0.2), new SiteMapPinRow("sensor", "barn", "bme", 0.3, 0.4), new SiteMapPinRow("camera", "shed", "door", 0.5, 0.5)], "ann", CancellationToken.None);
        long yard, bme, deleted;
        await using (var seed = await Database.SeedAsync())
        {
            await seed.EventAsync("barn", "yard", T0, TimeSpan.FromSeconds(5));
            yard = await seed.EventAsync("barn", "yard", T0.AddHours(1), TimeSpan.FromSeconds(5));
            deleted = await seed.EventAsync("barn", "yard", T0.AddHours(2), TimeSpan.FromSeconds(5));
        }

        await SensorEventAsync("s1", "bme", T0);
        bme = await SensorEventAsync("s2", "bme", T0.AddMinutes(30));
        await SensorEventAsync("s3", "sht", T0.AddHours(3));

        await Database.ExecuteAsync("UPDATE events SET deleted_ms = 1 WHERE id = @Id", new { Id = deleted });

        var pins = await Maps.PinsWithLatestEventAsync(id, CancellationToken.None);

        Assert.Equal(
            [("camera", "barn", "yard", (long?)yard, (long?)T0.AddHours(1).ToUnixTimeMilliseconds()), ("camera", "shed", "door", null, null), ("sensor", "barn", "bme", bme, T0.AddMinutes(30).ToUnixTimeMilliseconds())],
            pins.Select(p => (p.Kind, p.NodeId, p.DeviceId, p.LatestEventId, p.LatestStartMs)));
        Assert.Equal((0.3, 0.4), (pins[2].X, pins[2].Y));
    }

    /// <summary>
    /// A threshold event of barn's sensor as the server writes it: with its JSON payload from the start (SQLite's
    /// events_by_sensor index reads the payload of every sensor event inserted, and an empty one is not JSON).
    /// </summary>
    private Task<long> SensorEventAsync(string eventId, string sensor, DateTimeOffset start) =>
        Database.WriteAsync(
            (connection, transaction) => Dapper.SqlMapper.ExecuteScalarAsync<long>(
                connection,
                """
                INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, payload_json, sequence, received_ms)
                VALUES ('barn', @EventId, '', 'server', 'sensor', @Start, @Payload, 0, @Start) RETURNING id
                """,
                new { EventId = eventId, Start = start.ToUnixTimeMilliseconds(), Payload = $$"""{"sensor":"{{sensor}}","value":41}""" },
                transaction),
            CancellationToken.None);

    [Fact]
    public async Task Failed_FifthFailureInARow_LocksThirtySecondsThenDoubles()
    {
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            Assert.Null(await FailAsync("admin"));
        }

        Assert.Null(await Throttle.LockedForAsync("admin", Here, default));
        Assert.Equal(TimeSpan.FromSeconds(30), await FailAsync("admin"));
        Assert.Equal(TimeSpan.FromSeconds(30), await Throttle.LockedForAsync("ADMIN", Here, default));

        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await Throttle.LockedForAsync("admin", Here, default));
        Assert.Equal(TimeSpan.FromSeconds(60), await FailAsync("Admin"));
        Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TimeSpan.FromSeconds(120), await FailAsync("admin"));
    }

    [Fact]
    public async Task Failed_ManyTimes_LockNeverLongerThanFifteenMinutes()
    {
        TimeSpan? locked = null;
        for (var i = 0; i < 40; i++)
        {
            locked = await FailAsync("admin");
            Clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(TimeSpan.FromMinutes(15), locked);
    }

    /// <summary>Every hundredth failure clears the pairs idle past the longest lock: a spray of made-up names is bounded.</summary>
    [Fact]
    public async Task Failed_HundredthFailure_ForgetsIdlePairsOnly()
    {
        await FailAsync("old");
        Clock.Advance(TimeSpan.FromMinutes(16));
        for (var i = 0; i < 4; i++)
        {
            await FailAsync("recent");
        }

        for (var i = 0; i < 94; i++)
        {
            await Throttle.FailedAsync($"made-up-{i}", "198.51.100.7", default);
        }

        Assert.Equal((96, 1), (await PairsAsync(), await PairsAsync("OLD")));
        await FailAsync("last");

        Assert.Equal((96, 0), (await PairsAsync(), await PairsAsync("OLD")));
        Assert.Equal(TimeSpan.FromSeconds(30), await FailAsync("recent"));
    }

    [Fact]
    public async Task Succeeded_AfterFailures_CountStartsAgain()
    {
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        await Throttle.SucceededAsync("ADMIN", Here, default);

        Assert.Null(await FailAsync("admin"));
        Assert.Null(await Throttle.LockedForAsync("admin", Here, default));
    }

    [Fact]
    public async Task Locked_OneNameFromOneAddress_OtherNamesAndAddressesUnaffected()
    {
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        Assert.NotNull(await Throttle.LockedForAsync("admin", Here, default));
        Assert.Null(await Throttle.LockedForAsync("viewer", Here, default));
        Assert.Null(await Throttle.LockedForAsync("admin", "198.51.100.7", default));
    }

    [Fact]
    public async Task Locked_SurvivesARestart()
    {
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        // A new server process: a new throttle (its own failure count) over the same database.
        var restarted = new SignInThrottle(Database, Clock);

        Assert.Equal(TimeSpan.FromSeconds(30), await restarted.LockedForAsync("admin", Here, default));
    }

    private Task<TimeSpan?> FailAsync(string name) => Throttle.FailedAsync(name, Here, default);

    /// <summary>The stored name and address pairs (of one name in any case, or all).</summary>
    private async Task<long> PairsAsync(string? name = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM sign_in_failures WHERE @Name IS NULL OR name = @Name", new { Name = name });
    }
}

public sealed class SqliteSiteMapAndThrottleStoreTests() : SiteMapAndThrottleStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresSiteMapAndThrottleStoreTests(PostgresFixture postgres) : SiteMapAndThrottleStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
