using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Notifications.Offline;
using CctvEdge.Server.Notifications.Sensors;
using CctvEdge.Server.Storage;
using Dapper;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>The events the server raises itself (offline and back online, a sensor out of range) on each engine.</summary>
public abstract class OfflineAndSensorEventStoreTests : EngineStoreTests
{
    private protected OfflineAndSensorEventStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Offline_RaisedOnceWhileOpen_ClosedWithAnOnlineEvent_QuietlyWithout()
    {
        var store = new OfflineEventStore(Database, Clock);
        var since = Clock.GetUtcNow().AddMinutes(-5);

        var raised = await store.RaiseOfflineAsync("barn", "", since, "no heartbeat", CancellationToken.None);
        var twice = await store.RaiseOfflineAsync("barn", "", since.AddMinutes(1), "no heartbeat", CancellationToken.None);
        var camera = await store.RaiseOfflineAsync("shed", "door", since, "no frames", CancellationToken.None);
        var open = await store.OpenAsync(CancellationToken.None);
        var closed = await store.CloseAsync("barn", "", quietly: false, CancellationToken.None);
        var quiet = await store.CloseAsync("shed", "door", quietly: true, CancellationToken.None);
        var notOpen = await store.CloseAsync("barn", "", quietly: false, CancellationToken.None);

        Assert.Equal((true, false, true, false, false), (raised, twice, camera, quiet, notOpen));
        Assert.True(closed);
        Assert.Equal([("barn", ""), ("shed", "door")], open.Order());
        Assert.Empty(await store.OpenAsync(CancellationToken.None));
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await ServerEventsAsync();
        Assert.Equal(
            [("barn", "offline", since.ToUnixTimeMilliseconds(), now), ("shed", "offline", since.ToUnixTimeMilliseconds(), now), ("barn", "online", now, now)],
            rows.Select(r => (r.Row.NodeId, r.Row.Kind, r.Row.StartMs, r.Row.EndMs ?? 0)));
        Assert.Equal(300, JsonDocument.Parse(rows[2].Row.PayloadJson).RootElement.GetProperty("offlineSeconds").GetDouble());
        Assert.Equal("no heartbeat", JsonDocument.Parse(rows[0].Row.PayloadJson).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Sensor_RaisedOncePerStart_OpenReadFromThePayload_ClosedNotBeforeItsStartWithTheValueBack()
    {
        var store = new SensorEventStore(Database, Clock);
        var start = T0.AddMinutes(10);

        var id = await store.RaiseAsync("barn", "yard", "bme", "temperature", start, 41.5, new { sensor = "bme", name = "temperature", value = 41.5, max = 40 }, CancellationToken.None);
        var again = await store.RaiseAsync("barn", "yard", "bme", "temperature", start, 42, new { sensor = "bme", name = "temperature" }, CancellationToken.None);
        var other = await store.RaiseAsync("shed", "", "dht", "humidity", start, 99, new { sensor = "dht", name = "humidity" }, CancellationToken.None);
        var open = await store.OpenAsync(CancellationToken.None);
        // A reading stamped before the event started (a node's clock) still closes it at its start, not before.
        var closed = await store.CloseAsync("barn", id!, start.AddMinutes(-1), 38.25, CancellationToken.None);
        var closedTwice = await store.CloseAsync("barn", id!, start.AddMinutes(1), 38, CancellationToken.None);

        Assert.Null(again);
        Assert.Equal([("barn", id!, "bme", "temperature"), ("shed", other!, "dht", "humidity")], open.OrderBy(o => o.NodeId, StringComparer.Ordinal));
        Assert.Equal((true, false), (closed, closedTwice));
        Assert.Equal([("shed", other!, "dht", "humidity")], await store.OpenAsync(CancellationToken.None));
        var (row, sequence) = (await ServerEventsAsync()).Single(r => r.Row.EventId == id);
        Assert.Equal(("sensor", start.ToUnixTimeMilliseconds(), start.ToUnixTimeMilliseconds(), 41.5, 1L), (row.Kind, row.StartMs, row.EndMs ?? 0, row.Peak, sequence));
        var payload = JsonDocument.Parse(row.PayloadJson).RootElement;
        Assert.Equal((38.25, 40.0, "bme"), (payload.GetProperty("backInRangeValue").GetDouble(), payload.GetProperty("max").GetDouble(), payload.GetProperty("sensor").GetString()));
    }

    /// <summary>The server's own events in the order they were stored, and each one's sequence (bumped by every change).</summary>
    private async Task<List<(EventRow Row, long Sequence)>> ServerEventsAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<EventRow>("SELECT * FROM events WHERE plugin_id = 'server' ORDER BY id");
        var sequences = await connection.QueryAsync<long>("SELECT sequence FROM events WHERE plugin_id = 'server' ORDER BY id");
        return rows.Zip(sequences).ToList();
    }
}

public sealed class SqliteOfflineAndSensorEventStoreTests() : OfflineAndSensorEventStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresOfflineAndSensorEventStoreTests(PostgresFixture postgres) : OfflineAndSensorEventStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
