using System.Security.Cryptography;
using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The clip reads of the player, storage page and exports (ClipQueries), with bytes per local day worked out without
/// the database's idea of local time; and the outages the events timeline shades (OutageQueries), read from JSON payloads.
/// </summary>
public abstract class ClipAndOutageQueryTests : EngineStoreTests
{
    private static readonly CameraRef Yard = new("barn", "yard");

    private protected ClipAndOutageQueryTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private ClipQueries Clips => new(Database);

    [Fact]
    public async Task Clips_OverlappingFindLatestTimelapseAndStartingIn_StoredOnesInStartOrder()
    {
        await using (var seed = await Database.SeedAsync())
        {
            await seed.ClipAsync("barn", "yard", "c1", T0, T0.AddSeconds(60), "c1.mp4", Bytes(100));
            await seed.ClipAsync("barn", "yard", "c2", T0.AddSeconds(120), T0.AddSeconds(180), "c2.mp4", Bytes(200));
            await seed.ClipAsync("shed", "door", "d1", T0.AddSeconds(30), T0.AddSeconds(90), "d1.mp4", Bytes(400));
            await seed.ClipAsync("barn", "yard", "tl1", T0.AddDays(-1), T0.AddDays(-1).AddSeconds(60), "tl1.mp4", Bytes(10), reason: "timelapse");
            await seed.ClipAsync("barn", "yard", "tl2", T0.AddSeconds(-30), T0.AddHours(1), "tl2.mp4", Bytes(10), reason: "timelapse");
            await seed.ClipAsync("shed", "door", "tl3", T0.AddDays(-2), T0.AddDays(-2).AddSeconds(60), "tl3.mp4", Bytes(10), reason: "timelapse");
        }

        await Database.ExecuteAsync(
            "INSERT INTO clips (id, node_id, camera_id, reason, start_ms, end_ms, size, sha256, announced_ms) VALUES ('c3', 'barn', 'yard', 'event', @Start, @End, 300, @Sha, 0)",
            new { Start = T0.AddMinutes(10).ToUnixTimeMilliseconds(), End = T0.AddMinutes(11).ToUnixTimeMilliseconds(), Sha = new byte[32] });
        await Database.ExecuteAsync("UPDATE clips SET flagged = 1 WHERE id = 'c2'");
        foreach (var name in new[] { "a.jpg", "b.jpg" })
        {
            await Database.ExecuteAsync(
                "INSERT INTO files (node_id, camera_id, plugin_id, kind, name, content_type, size, path, created_ms, clip_id) VALUES ('barn', 'yard', 'recording', 'thumbnail', @Name, 'image/jpeg', 10, @Name, 0, 'c1')",
                new { Name = name });
        }

        var overlapping = await Clips.OverlappingAsync(Yard, T0.AddSeconds(30).ToUnixTimeMilliseconds(), T0.AddSeconds(150).ToUnixTimeMilliseconds(), CancellationToken.None);
        var latest = await Clips.LatestOfReasonAsync("timelapse", CancellationToken.None);
        var stored = await Clips.StartingInAsync([], T0.ToUnixTimeMilliseconds(), T0.AddHours(1).ToUnixTimeMilliseconds(), storedOnly: true, CancellationToken.None);
        var all = await Clips.StartingInAsync([Yard], T0.ToUnixTimeMilliseconds(), T0.AddHours(1).ToUnixTimeMilliseconds(), storedOnly: false, CancellationToken.None);
        await Clips.SetFpsAsync("c1", 12.5, CancellationToken.None);
        var c1 = await Clips.FindAsync("c1", CancellationToken.None);
        var c2 = await Clips.FindAsync("c2", CancellationToken.None);

        Assert.Equal(["c1", "c2"], overlapping.Select(c => c.Id));
        Assert.Equal([("barn", "tl2"), ("shed", "tl3")], latest.Select(c => (c.NodeId, c.Id)));
        Assert.Equal(["c1", "d1", "c2"], stored.Select(c => c.Id));
        Assert.Equal(["c1", "c2", "c3"], all.Select(c => c.Id));
        Assert.Equal(("pending", 300L), (all[2].State, all[2].Size));
        var thumbnails = await ScalarsAsync("SELECT id FROM files WHERE clip_id = 'c1' ORDER BY id");
        Assert.Equal(((double?)12.5, false, (long?)thumbnails[0], 100L, "stored"), (c1!.Fps, c1.Flagged, c1.ThumbnailId, c1.Size, c1.State));
        Assert.Equal(SHA256.HashData(Bytes(100)), c1.Sha256);
        Assert.Equal((true, (long?)null, (double?)null), (c2!.Flagged, c2.ThumbnailId, c2.Fps));
        Assert.Null(await Clips.FindAsync("nope", CancellationToken.None));
    }

    /// <summary>British summer time ends at 01:00 UTC on 25 October 2026: that local day lasts 25 hours.</summary>
    [Fact]
    public async Task DailyBytes_AcrossTheEndOfSummerTime_LocalDaysOfTheZoneAndSiteTotals()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        await using (var seed = await Database.SeedAsync())
        {
            await seed.ClipAsync("barn", "yard", "a", Utc(10, 24, 22, 30), Utc(10, 24, 22, 31), "a.mp4", Bytes(10)); // 23:30 BST, the 24th
            await seed.ClipAsync("barn", "yard", "b", Utc(10, 24, 23, 30), Utc(10, 24, 23, 31), "b.mp4", Bytes(20)); // 00:30 BST, the 25th
            await seed.ClipAsync("barn", "yard", "c", Utc(10, 25, 23, 30), Utc(10, 25, 23, 31), "c.mp4", Bytes(40)); // 23:30 GMT, the 25th
            await seed.ClipAsync("barn", "yard", "d", Utc(10, 26, 0, 10), Utc(10, 26, 0, 11), "d.mp4", Bytes(80));
            await seed.ClipAsync("shed", "door", "e", Utc(10, 25, 12, 0), Utc(10, 25, 12, 1), "e.mp4", Bytes(160));
            await seed.ClipAsync("shed", "door", "f", Utc(10, 27, 12, 0), Utc(10, 27, 12, 1), "f.mp4", Bytes(320)); // after the range
        }

        await Database.ExecuteAsync("UPDATE nodes SET site = 'farm' WHERE id = 'barn'");
        var (from, to) = (Utc(10, 23, 23, 0).ToUnixTimeMilliseconds(), Utc(10, 27, 0, 0).ToUnixTimeMilliseconds());

        var days = await Clips.DailyBytesAsync(from, to, null, london, CancellationToken.None);
        var farm = await Clips.DailyBytesAsync(from, to, "farm", london, CancellationToken.None);
        var utc = await Clips.DailyBytesAsync(from, to, null, TimeZoneInfo.Utc, CancellationToken.None);

        Assert.Equal(
            [("2026-10-24", "barn", 10L, 1L), ("2026-10-25", "barn", 60L, 2L), ("2026-10-25", "shed", 160L, 1L), ("2026-10-26", "barn", 80L, 1L)],
            days.Select(d => (d.Day, d.NodeId, d.Bytes, d.Clips)));
        Assert.Equal(["2026-10-24", "2026-10-25", "2026-10-26"], farm.Select(d => d.Day));
        Assert.Equal([("2026-10-24", 30L), ("2026-10-25", 40L)], utc.Where(d => d.NodeId == "barn" && d.Day != "2026-10-26").Select(d => (d.Day, d.Bytes)));
        Assert.Equal((630L, 30L), await Clips.TotalsAsync(Utc(10, 25, 0, 0).ToUnixTimeMilliseconds(), null, CancellationToken.None));
        Assert.Equal((150L, 30L), await Clips.TotalsAsync(Utc(10, 25, 0, 0).ToUnixTimeMilliseconds(), "farm", CancellationToken.None));
    }

    [Fact]
    public void ZoneSpans_SummerTimeEndsInTheRange_CutAtTheChangeWithEachOffset()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var (from, to) = (Utc(10, 24, 0, 0).ToUnixTimeMilliseconds(), Utc(10, 26, 0, 0).ToUnixTimeMilliseconds());

        var spans = ZoneSpans.Of(from, to, london);

        Assert.Equal([(from, Utc(10, 25, 1, 0).ToUnixTimeMilliseconds(), 3_600_000L), (Utc(10, 25, 1, 0).ToUnixTimeMilliseconds(), to, 0L)], spans);
        Assert.Equal([(from, to, 0L)], ZoneSpans.Of(from, to, TimeZoneInfo.Utc));
        Assert.Empty(ZoneSpans.Of(to, from, london));
    }

    [Fact]
    public async Task Outages_ServersAndNodesOfTheRange_BySiteAndCameraWithItsNodesOwn()
    {
        long systemEvent, deleted;
        await using (var seed = await Database.SeedAsync())
        {
            await seed.OutageAsync("barn", "", T0.AddHours(-2), T0.AddHours(-1), "node down");
            await seed.OutageAsync("barn", "yard", T0.AddHours(1), null, "yard failed", fromNode: true);
            await seed.OutageAsync("barn", "gate", T0.AddDays(-3), T0.AddDays(-2), "long ago", fromNode: true);
            await seed.OutageAsync("shed", "door", T0, T0.AddHours(1), "shed down");
            deleted = await seed.OutageAsync("barn", "yard", T0, T0.AddMinutes(5), "deleted");
            await seed.PayloadAsync(await seed.EventAsync("barn", "yard", T0, TimeSpan.FromMinutes(1), kind: "system"), """{"type":"camera-online"}""");
            systemEvent = await seed.EventAsync("barn", "yard", T0, TimeSpan.FromMinutes(1), kind: "system");
            await seed.PayloadAsync(systemEvent, "not json at all");
        }

        await Database.ExecuteAsync("UPDATE events SET deleted_ms = 1 WHERE id = @Id", new { Id = deleted });
        await Database.ExecuteAsync("UPDATE nodes SET site = 'farm' WHERE id = 'barn'");
        var outages = new OutageQueries(Database);
        var (from, to) = (T0.AddMinutes(-90).ToUnixTimeMilliseconds(), T0.AddDays(1).ToUnixTimeMilliseconds());

        var all = await outages.OverlappingAsync(from, to, null, null, CancellationToken.None);
        var farm = await outages.OverlappingAsync(from, to, "farm", null, CancellationToken.None);
        var yard = await outages.OverlappingAsync(from, to, null, Yard, CancellationToken.None);
        var gate = await outages.OverlappingAsync(T0.AddDays(-4).ToUnixTimeMilliseconds(), to, null, new CameraRef("barn", "gate"), CancellationToken.None);

        Assert.Equal([("barn", "", "node down"), ("barn", "yard", "yard failed"), ("shed", "door", "shed down")], all.Select(o => (o.NodeId, o.CameraId, o.Reason)));
        Assert.Equal(new long?[] { T0.AddHours(-1).ToUnixTimeMilliseconds(), null, T0.AddHours(1).ToUnixTimeMilliseconds() }, all.Select(o => o.EndMs));
        Assert.Equal(["node down", "yard failed"], farm.Select(o => o.Reason));
        Assert.Equal(["node down", "yard failed"], yard.Select(o => o.Reason));
        Assert.Equal(["node down", "long ago"], gate.Select(o => o.Reason));
        Assert.DoesNotContain(systemEvent, all.Select(o => o.Id));
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static byte[] Bytes(int size) => [.. Enumerable.Range(0, size).Select(i => (byte)i)];

    private async Task<List<long>> ScalarsAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await Dapper.SqlMapper.QueryAsync<long>(connection, sql)).ToList();
    }
}

public sealed class SqliteClipAndOutageQueryTests() : ClipAndOutageQueryTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresClipAndOutageQueryTests(PostgresFixture postgres) : ClipAndOutageQueryTests(_ => postgres), IClassFixture<PostgresFixture>;
