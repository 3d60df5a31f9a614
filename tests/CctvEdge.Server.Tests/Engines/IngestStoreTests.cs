using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Server.Storage.Objects;
using CctvEdge.Web.Services;
using Dapper;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The ingest path's stores (ResultIngestor with its group commit, NodeStore, EventStore, ClipStore, ReviewStore,
/// SensorThresholdStore) on each engine: the same assertions run on SQLite and on PostgreSQL, through the derived
/// classes below.
/// </summary>
public abstract class IngestStoreTests : EngineStoreTests
{
    private protected IngestStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Migrate_Again_StaysAtNewestScript()
    {
        var newest = CctvEdge.Storage.MigrationScripts.Read(typeof(ServerDatabase).Assembly, ServerDatabase.SqliteScripts).Max(s => s.Number);

        await Database.MigrateAsync(CancellationToken.None);

        Assert.Equal(newest, await Database.SchemaVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_EventUpdatedThenResent_LaterFieldsKeptPeakNeverLowerDuplicatesSkipped()
    {
        var first = await Ingestor.StoreAsync("barn", [Motion(1, "e1", peak: 5)], CancellationToken.None);
        var update = await Ingestor.StoreAsync("barn", [Motion(2, "e1", peak: 3, end: T0.AddSeconds(30))], CancellationToken.None);
        var resend = await Ingestor.StoreAsync("barn", [Motion(1, "e1", peak: 9), Motion(2, "e1", peak: 9)], CancellationToken.None);

        Assert.Equal((1ul, 1, 1), (first.AcknowledgedSequence, first.Stored, first.EventsChanged));
        Assert.Equal((2ul, 1, 1), (update.AcknowledgedSequence, update.Stored, update.EventsChanged));
        Assert.Equal((2ul, 0, 0), (resend.AcknowledgedSequence, resend.Stored, resend.EventsChanged));
        var row = Assert.Single(await new EventStore(Database).LatestAsync(10, "barn", CancellationToken.None));
        Assert.Equal(("e1", "YARD", 5.0, T0.AddSeconds(30).ToUnixTimeMilliseconds()), (row.EventId, row.CameraName, row.Peak, row.EndMs));
        Assert.False(row.Acknowledged);
        Assert.Equal(2, (await Nodes.FindNodeAsync("barn", CancellationToken.None))!.LastSequence);
    }

    [Fact]
    public async Task Store_GroupOfTwoNodes_OneTransactionEachNodeAcknowledgedOnItsOwn()
    {
        var outcomes = await Ingestor.StoreAsync(
            [new IngestBatch("barn", [Motion(1, "b1"), Motion(2, "b2")]), new IngestBatch("shed", [Motion(7, "s1", camera: "door")]), new IngestBatch("barn", [Motion(3, "b3")])],
            CancellationToken.None);

        Assert.Equal([2ul, 7ul, 3ul], outcomes.Select(o => o.AcknowledgedSequence));
        Assert.Equal(3, (await new EventStore(Database).LatestAsync(10, "barn", CancellationToken.None)).Count);
        Assert.Equal(4, await new EventStore(Database).CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_MotionMagnitudesOverTwoBatches_EachMinuteKeepsItsPeak()
    {
        await Ingestor.StoreAsync("barn", [Magnitude(1, 0.2, T0), Magnitude(2, 0.7, T0.AddSeconds(20)), Magnitude(3, 0.4, T0.AddSeconds(70))], CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Magnitude(4, 0.5, T0.AddSeconds(40)), Magnitude(5, 0.9, T0.AddSeconds(80))], CancellationToken.None);

        await using var connection = await Database.OpenAsync(CancellationToken.None);
        var minutes = (await connection.QueryAsync<(long Minute, double Peak)>("SELECT minute_ms, peak FROM motion_minutes ORDER BY minute_ms")).ToList();
        Assert.Equal([(T0.ToUnixTimeMilliseconds(), 0.7), (T0.AddMinutes(1).ToUnixTimeMilliseconds(), 0.9)], minutes);
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measurements"));
    }

    [Fact]
    public async Task Store_SensorReadings_SeriesLatestValueAndExactRollups()
    {
        await Ingestor.StoreAsync(
            "barn",
            [SensorNode.Reading(1, "temperature", 20, T0), SensorNode.Reading(2, "temperature", 22.5, T0.AddSeconds(10)), SensorNode.Reading(3, "temperature", 30, T0.AddSeconds(70))],
            CancellationToken.None);
        // An older reading arriving late changes the rollups, not the series' latest value.
        await Ingestor.StoreAsync("barn", [SensorNode.Reading(4, "temperature", 10, T0.AddSeconds(5)), SensorNode.Reading(5, "temperature", 25, T0.AddSeconds(5))], CancellationToken.None);

        await using var connection = await Database.OpenAsync(CancellationToken.None);
        Assert.Equal((30.0, T0.AddSeconds(70).ToUnixTimeMilliseconds()), await connection.QuerySingleAsync<(double, long)>("SELECT last_value, last_ms FROM sensor_series"));
        var minutes = (await connection.QueryAsync<(long Bucket, double Min, double Max, double Sum, long Count)>("SELECT bucket_ms, min, max, sum, count FROM sensor_minutes ORDER BY bucket_ms")).ToList();
        Assert.Equal([(T0.ToUnixTimeMilliseconds(), 10, 22.5, 52.5, 3L), (T0.AddMinutes(1).ToUnixTimeMilliseconds(), 30, 30, 30, 1L)], minutes);
        Assert.Equal((10.0, 30.0, 4L), await connection.QuerySingleAsync<(double, double, long)>("SELECT min, max, count FROM sensor_hours"));
    }

    [Fact]
    public async Task Thresholds_OfAReportedSensor_ReplacedWholeUnknownSensorRefused()
    {
        await Ingestor.StoreAsync("barn", [SensorNode.Reading(1, "temperature", 20, T0)], CancellationToken.None);
        var thresholds = new SensorThresholdStore(Database, Clock);

        var unknown = await thresholds.ReplaceAsync("barn", "nope", [new SensorLimit("temperature", null, 30, 0)], CancellationToken.None);
        await thresholds.ReplaceAsync("barn", "bme", [new SensorLimit("temperature", 0, 40, 60)], CancellationToken.None);
        var replaced = await thresholds.ReplaceAsync("barn", "bme", [new SensorLimit("temperature", null, 30, 0), new SensorLimit("humidity", 20, null, 5)], CancellationToken.None);

        Assert.Equal((false, true), (unknown, replaced));
        Assert.Equal(
            [new SensorLimit("humidity", 20, null, 5), new SensorLimit("temperature", null, 30, 0)],
            await thresholds.ListAsync("barn", "bme", CancellationToken.None));
    }

    [Fact]
    public async Task Store_ClipOfFlaggedEvent_FlaggedOnArrivalAndUnflaggedWithTheEvent()
    {
        await Ingestor.StoreAsync("barn", [Motion(1, "e1", end: T0.AddSeconds(10))], CancellationToken.None);
        var eventId = Assert.Single(await new EventStore(Database).LatestAsync(1, "barn", CancellationToken.None)).Id;
        var reviews = new ReviewStore(Database, Clock);
        Assert.Equal(1, await reviews.FlagAsync([eventId], true, CancellationToken.None));

        var outcome = await Ingestor.StoreAsync("barn", [Clip(2, "clip-1", T0.AddSeconds(-5), T0.AddSeconds(25)), Clip(3, "clip-1", T0, T0)], CancellationToken.None);

        Assert.Equal(1, outcome.EventsChanged);
        var options = new ServerOptions { DataDirectory = Temp.Path };
        var clips = new ClipStore(Database, new FileSystemClipObjectStore(options.ResolvedClipsDirectory), Options.Create(options), Clock, NullLogger<ClipStore>.Instance);
        var clip = await clips.FindAsync("clip-1", CancellationToken.None);
        Assert.Equal((true, "pending", 32), (clip!.Flagged, clip.State, clip.Sha256.Length));
        Assert.Equal("clip-1", Assert.Single(await new EventStore(Database).LatestAsync(1, "barn", CancellationToken.None)).ClipId);
        await reviews.FlagAsync([eventId], false, CancellationToken.None);
        Assert.False((await clips.FindAsync("clip-1", CancellationToken.None))!.Flagged);
    }

    [Fact]
    public async Task Store_EventPicture_FileRowNamesWhatWasWritten()
    {
        var picture = new Result
        {
            Sequence = 2,
            CameraId = "yard",
            PluginId = "motion",
            File = new FileBlob { Kind = "snapshot", Name = "best.jpg", EventId = "e1", ContentType = "image/jpeg", Data = ByteString.CopyFrom(1, 2, 3) },
        };

        await Ingestor.StoreAsync("barn", [Motion(1, "e1"), picture], CancellationToken.None);

        var thumbnail = Assert.Single(await new EventStore(Database).LatestAsync(1, "barn", CancellationToken.None)).ThumbnailId;
        var file = await new EventStore(Database).FindFileAsync(thumbnail!.Value, CancellationToken.None);
        Assert.Equal("image/jpeg", file!.ContentType);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(Temp.Path, file.Path)));
    }

    [Fact]
    public async Task Heartbeats_TwoInOneDay_LastDiskReadingOfTheLocalDayKept()
    {
        await Nodes.RecordHeartbeatAsync("barn", new Heartbeat { DiskFreeBytes = 500, DiskTotalBytes = 1000 }, CancellationToken.None);
        await Nodes.RecordHeartbeatAsync("barn", new Heartbeat { DiskFreeBytes = 400, DiskTotalBytes = 1000 }, CancellationToken.None);

        var day = Assert.Single(await Nodes.DiskDaysAsync("2000-01-01", CancellationToken.None));
        Assert.Equal((LocalDay.Of(Clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), 400L), (day.Day, day.FreeBytes));
    }

    [Fact]
    public async Task ResetConnections_AfterHellos_NoNodeConnected()
    {
        Assert.All(await Nodes.ListNodesAsync(CancellationToken.None), n => Assert.True(n.Connected));

        await Nodes.ResetConnectionsAsync(CancellationToken.None);

        Assert.All(await Nodes.ListNodesAsync(CancellationToken.None), n => Assert.False(n.Connected));
        Assert.True(await Nodes.SetSiteAsync("barn", "North", CancellationToken.None));
        Assert.Equal(["North"], await Nodes.ListSitesAsync(CancellationToken.None));
    }
}

public sealed class SqliteIngestStoreTests() : IngestStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresIngestStoreTests(PostgresFixture postgres) : IngestStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
