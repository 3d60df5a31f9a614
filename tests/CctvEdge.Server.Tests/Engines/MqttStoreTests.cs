using CctvEdge.Harness;
using CctvEdge.Server.Notifications.Mqtt;
using CctvEdge.Server.Sessions;
using Dapper;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// What the MQTT bridge reads and remembers on each engine: the fleet (open motion, each series' latest reading,
/// followed by the measurements' rowid) and its checkpoints in the settings table.
/// </summary>
public abstract class MqttStoreTests : EngineStoreTests
{
    private protected MqttStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private MqttCheckpoints Checkpoints => new(Database);

    [Fact]
    public async Task Checkpoints_TopicsPerChannel_ReadingsWatermark_DamagedReadsAsNone()
    {
        await Checkpoints.SaveTopicsAsync(1, new HashSet<string>(["b/config", "a/state"]), CancellationToken.None);
        await Checkpoints.SaveTopicsAsync(1, new HashSet<string>(["c/state"]), CancellationToken.None);
        await Checkpoints.SaveTopicsAsync(2, new HashSet<string>(["x"]), CancellationToken.None);
        var none = await Checkpoints.LoadReadingsAsync(CancellationToken.None);
        await Checkpoints.SaveReadingsAsync(new ReadingsCheckpoint(41, [new FleetReading("barn", "yard", "noise", "dB", 3.5)]), CancellationToken.None);
        var readings = await Checkpoints.LoadReadingsAsync(CancellationToken.None);
        await Checkpoints.ForgetTopicsAsync(2, CancellationToken.None);

        Assert.Null(none);
        Assert.Equal(["c/state"], await Checkpoints.LoadTopicsAsync(1, CancellationToken.None));
        Assert.Empty(await Checkpoints.LoadTopicsAsync(2, CancellationToken.None));
        Assert.Equal((41L, new FleetReading("barn", "yard", "noise", "dB", 3.5)), (readings!.LastRowId, Assert.Single(readings.Latest)));
        await Database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("UPDATE settings SET value = 'not json' WHERE key = 'mqtt.readings'", transaction: transaction),
            CancellationToken.None);
        Assert.Null(await Checkpoints.LoadReadingsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Fleet_LatestReadingPerSeries_FollowedByRowid_CheckpointedAndResumedByANewFleet()
    {
        var sessions = new SessionRegistry();
        await using var barn = new NodeSession("barn", ["yard"], CancellationToken.None);
        sessions.Add(barn);
        await Ingestor.StoreAsync("barn", [Magnitude(1, 3.5, T0), Magnitude(2, 4.5, T0.AddSeconds(1)), Motion(3, "moving", start: Clock.GetUtcNow().AddMinutes(-1))], CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "shed", start: Clock.GetUtcNow().AddMinutes(-1), camera: "door")], CancellationToken.None);

        var fleet = new MqttFleet(Database, Nodes, sessions, Checkpoints, Clock);
        var first = await fleet.ReadAsync(CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Magnitude(4, 8, T0.AddSeconds(2))], CancellationToken.None);
        var second = await fleet.ReadAsync(CancellationToken.None);
        Clock.Advance(MqttFleet.CheckpointInterval);
        await fleet.ReadAsync(CancellationToken.None);
        var saved = await Checkpoints.LoadReadingsAsync(CancellationToken.None);
        var resumed = await new MqttFleet(Database, Nodes, sessions, Checkpoints, Clock).ReadAsync(CancellationToken.None);

        Assert.Equal([("barn", true), ("shed", false)], first.Nodes.Select(n => (n.Id, n.Online)).Order());
        Assert.Equal([("barn", "yard", true), ("shed", "door", false)], first.Cameras.Select(c => (c.NodeId, c.Id, c.Motion)).Order());
        Assert.Equal(4.5, Assert.Single(first.Readings).Value);
        Assert.Equal(8, Assert.Single(second.Readings).Value);
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        Assert.Equal(await connection.ExecuteScalarAsync<long>("SELECT MAX(rowid) FROM measurements"), saved!.LastRowId);
        Assert.Equal(8, Assert.Single(saved.Latest).Value);
        Assert.Equal(8, Assert.Single(resumed.Readings).Value);
    }
}

public sealed class SqliteMqttStoreTests() : MqttStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresMqttStoreTests(PostgresFixture postgres) : MqttStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
