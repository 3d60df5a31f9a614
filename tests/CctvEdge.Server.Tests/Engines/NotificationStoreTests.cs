using CctvEdge.Harness;
using CctvEdge.Server.Notifications;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The notification side's own tables on each engine: rules and channels (names unique whatever their case), the web
/// notifications and their watermark, and the delivery outbox the rules fill and the dispatcher drains.
/// </summary>
public abstract class NotificationStoreTests : EngineStoreTests
{
    private protected NotificationStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private ChannelStore Channels => new(Database, Clock);

    private RuleStore Rules => new(Database, Clock);

    private DeliveryStore Deliveries => new(Database, Clock);

    [Fact]
    public async Task Rules_UnknownChannelRefused_NameAnyCaseTaken_ListedByNameUpdatedDeleted()
    {
        var (_, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{}", "", CancellationToken.None);

        var unknown = await Rules.SaveAsync(null, new NotificationRule { Name = "Night", Channels = [hook, hook + 50] }, CancellationToken.None);
        var (saved, night, _) = await Rules.SaveAsync(null, new NotificationRule { Name = "Night", Kinds = ["motion"], Channels = [hook] }, CancellationToken.None);
        var (_, all, _) = await Rules.SaveAsync(null, new NotificationRule { Name = "all day" }, CancellationToken.None);
        var (taken, takenBy, _) = await Rules.SaveAsync(null, new NotificationRule { Name = "NIGHT" }, CancellationToken.None);
        var (renamed, _, _) = await Rules.SaveAsync(night, new NotificationRule { Name = "night", CooldownSeconds = 60, Channels = [hook] }, CancellationToken.None);
        var (missing, _, _) = await Rules.SaveAsync(night + 100, new NotificationRule { Name = "Gone" }, CancellationToken.None);

        Assert.Equal(SaveOutcome.NotFound, unknown.Outcome);
        Assert.Equal([hook + 50], unknown.UnknownChannels);
        Assert.Equal((SaveOutcome.Saved, SaveOutcome.NameTaken, night, SaveOutcome.Saved, SaveOutcome.NotFound), (saved, taken, takenBy, renamed, missing));
        var listed = await Rules.ListAsync(CancellationToken.None);
        Assert.Equal([("all day", all, 0), ("night", night, 60)], listed.Select(r => (r.Name, r.Id, r.CooldownSeconds)));
        Assert.True(await Rules.DeleteAsync(all, CancellationToken.None));
        Assert.False(await Rules.DeleteAsync(all, CancellationToken.None));
        Assert.Equal(["night"], (await Rules.ListAsync(CancellationToken.None)).Select(r => r.Name));
    }

    [Fact]
    public async Task Channels_NameAnyCase_CountsPerStatus_LastSentAndError_DeleteTakesDeliveries()
    {
        var (saved, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{\"url\":\"http://x\"}", "sealed", CancellationToken.None);
        var (taken, takenBy) = await Channels.SaveAsync(null, "HOOK", "webhook", "{}", "", CancellationToken.None);
        var (_, bot) = await Channels.SaveAsync(null, "bot", "telegram", "{}", "", CancellationToken.None);
        var (updated, _) = await Channels.SaveAsync(bot, "Bot", "telegram", "{\"chat\":\"1\"}", "", CancellationToken.None);
        await Rules.SaveAsync(null, new NotificationRule { Name = "All", Channels = [hook] }, CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Motion(1, "a", end: T0.AddSeconds(5)), Motion(2, "b", end: T0.AddSeconds(5)), Motion(3, "c", end: T0.AddSeconds(5))], CancellationToken.None);
        await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);
        var due = await Deliveries.DueAsync(10, CancellationToken.None);
        await Deliveries.MarkSentAsync(due[0].Id, hook, "m-1", CancellationToken.None);
        await Deliveries.MarkFailedAsync(due[1].Id, hook, "refused", null, CancellationToken.None);
        await Channels.RecordAsync(bot, "no chat", CancellationToken.None);

        Assert.Equal((SaveOutcome.Saved, SaveOutcome.NameTaken, hook, SaveOutcome.Saved), (saved, taken, takenBy, updated));
        var counted = await Channels.FindWithCountsAsync(hook, CancellationToken.None);
        Assert.Equal((1L, 1L, 1L, "sealed", "refused"), (counted!.Pending, counted.Sent, counted.Dead, counted.Secrets, counted.LastError));
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds(), counted.LastSentMs);
        var listed = await Channels.ListWithCountsAsync(CancellationToken.None);
        Assert.Equal([("Bot", 0L, "no chat"), ("Hook", 3L, "refused")], listed.Select(c => (c.Name, c.Pending + c.Sent + c.Dead, c.LastError)));
        Assert.Equal(["Bot", "Hook"], (await Channels.ListAsync(CancellationToken.None)).Select(c => c.Name));
        Assert.Equal("{\"chat\":\"1\"}", (await Channels.FindAsync(bot, CancellationToken.None))!.Settings);
        Assert.True(await Channels.DeleteAsync(hook, CancellationToken.None));
        Assert.Null(await Channels.FindAsync(hook, CancellationToken.None));
        Assert.Empty(await Deliveries.DueAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Notifications_RaisedForKindsPastTheWatermark_PagedNewestFirst_CountedBySite()
    {
        var store = new NotificationStore(Database, Clock);
        await Ingestor.StoreAsync("barn", [Motion(1, "m1"), Motion(2, "p1", kind: "person"), Motion(3, "x1", kind: "offline")], CancellationToken.None);

        var first = await store.RaiseNewAsync(["motion", "person"], CancellationToken.None);
        var again = await store.RaiseNewAsync(["motion", "person"], CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Ingestor.StoreAsync("shed", [Motion(1, "m2", camera: "door")], CancellationToken.None);
        var later = await store.RaiseNewAsync(["motion"], CancellationToken.None);
        await Nodes.SetSiteAsync("shed", "north", CancellationToken.None);
        await Database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE notifications SET acknowledged_ms = 1, acknowledged_by = 'ann' WHERE event_id = (SELECT id FROM events WHERE event_id = 'm1')", transaction: transaction),
            CancellationToken.None);

        Assert.Equal((2, 0, 1), (first, again, later));
        var page = await store.PageAsync(null, null, 0, 2, CancellationToken.None);
        Assert.Equal([("motion", "DOOR", 3L), ("person", "YARD", 3L)], page.Select(n => (n.Kind, n.CameraName, n.Total)));
        Assert.False(page[0].Flagged);
        Assert.Equal("kind:motion", page[0].Rule);
        var acknowledged = Assert.Single(await store.PageAsync(true, null, 0, 10, CancellationToken.None));
        Assert.Equal(("ann", 1L), (acknowledged.AcknowledgedBy, acknowledged.AcknowledgedMs));
        Assert.Equal(2, (await store.PageAsync(false, null, 0, 10, CancellationToken.None)).Count);
        Assert.Equal(2, await store.CountUnacknowledgedAsync(null, CancellationToken.None));
        Assert.Equal(1, await store.CountUnacknowledgedAsync("north", CancellationToken.None));
    }

    [Fact]
    public async Task Deliveries_QueuedInBatches_DueOldestFirst_RetriedPostponedDeadSentAndPurged()
    {
        var (_, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{}", "", CancellationToken.None);
        await Rules.SaveAsync(null, new NotificationRule { Name = "Motion", Kinds = ["motion"], Channels = [hook] }, CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Motion(1, "a", peak: 2, end: T0.AddSeconds(5), zones: ["gate"]), Motion(2, "skip", kind: "person", end: T0.AddSeconds(5))], CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "b", end: T0.AddSeconds(5), camera: "door")], CancellationToken.None);

        var firstBatch = await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 2, CancellationToken.None);
        var secondBatch = await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 2, CancellationToken.None);
        var none = await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 2, CancellationToken.None);
        var due = await Deliveries.DueAsync(10, CancellationToken.None);

        Assert.Equal(((2, 1, true), (1, 1, false), (0, 0, false)), (firstBatch, secondBatch, none));
        Assert.Equal([("a", "Barn", "YARD", 2.0, "Motion"), ("b", "Barn", "DOOR", 1.0, "Motion")], await WorkAsync(due));
        Assert.Equal("[\"gate\"]", due[0].ZonesJson);
        Assert.Equal(Clock.GetUtcNow(), await Deliveries.NextDueAsync(CancellationToken.None));

        await Deliveries.MarkFailedAsync(due[0].Id, hook, "timeout", Clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        await Deliveries.PostponeAsync(due[1].Id, Clock.GetUtcNow().AddMinutes(2), CancellationToken.None);
        Assert.Empty(await Deliveries.DueAsync(10, CancellationToken.None));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(1), await Deliveries.NextDueAsync(CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(2));
        var retried = await Deliveries.DueAsync(10, CancellationToken.None);
        Assert.Equal([(due[0].Id, 1), (due[1].Id, 0)], retried.Select(d => (d.Id, d.Attempts)));
        await Deliveries.MarkFailedAsync(due[0].Id, hook, "refused", null, CancellationToken.None);
        await Deliveries.MarkSentAsync(due[1].Id, hook, "m-1", CancellationToken.None);
        Assert.Null(await Deliveries.NextDueAsync(CancellationToken.None));
        Assert.Equal((0L, 1L, 1L), await CountsAsync(hook));
        Assert.Equal(0, await Deliveries.DeleteFinishedBeforeAsync(T0, CancellationToken.None));
        Assert.Equal(2, await Deliveries.DeleteFinishedBeforeAsync(Clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal((0L, 0L, 0L), await CountsAsync(hook));
    }

    [Fact]
    public async Task Deliveries_OpenEventWaitsUntilItsPeakGrows_CooldownHolds_LabelledLaterJudgedAgain()
    {
        var (_, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{}", "", CancellationToken.None);
        await Rules.SaveAsync(null, new NotificationRule { Name = "Big", Kinds = ["motion"], MinPeak = 5, CooldownSeconds = 600, Channels = [hook] }, CancellationToken.None);
        await Rules.SaveAsync(null, new NotificationRule { Name = "People", Kinds = ["visit"], Labels = ["person"], Channels = [hook] }, CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Motion(1, "open", peak: 1), Motion(2, "visit", kind: "visit", end: T0.AddSeconds(5))], CancellationToken.None);

        var judged = await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);
        var unchanged = await Deliveries.QueueWaitingAsync(TimeZoneInfo.Utc, CancellationToken.None);
        await Ingestor.StoreAsync("barn", [Motion(3, "open", peak: 6), Motion(4, "soon", peak: 9, start: T0.AddSeconds(60), end: T0.AddSeconds(70))], CancellationToken.None);
        var grown = await Deliveries.QueueWaitingAsync(TimeZoneInfo.Utc, CancellationToken.None);
        var cooled = await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);
        // A processor labels the visit after it was judged (central detection): the labelled pass queues it.
        await Database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """UPDATE events SET analysis_json = '{"labels":[{"label":"person","score":0.9}]}', analysis_seq = 1 WHERE event_id = 'visit'""", transaction: transaction),
            CancellationToken.None);
        var labelled = await Deliveries.QueueLabelledAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);
        var labelledAgain = await Deliveries.QueueLabelledAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);

        Assert.Equal(((2, 0, false), 0, 1, (1, 0, false)), (judged, unchanged, grown, cooled));
        Assert.Equal(((1, 1, false), (0, 0, false)), (labelled, labelledAgain));
        Assert.Equal([("open", "Big"), ("visit", "People")], (await WorkAsync(await Deliveries.DueAsync(10, CancellationToken.None))).Select(d => (d.EventId, d.Rule)));
    }

    [Fact]
    public async Task Deliveries_AdaptiveRule_SendsWhileLearningThenOnlyUnusualPeaks()
    {
        var (_, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{}", "", CancellationToken.None);
        await Rules.SaveAsync(null, new NotificationRule { Name = "Odd", Adaptive = new RuleAdaptive { K = 1, MinSamples = 2 }, Channels = [hook] }, CancellationToken.None);
        var peaks = new[] { 1.0, 1.0, 1.0, 10.0, 1.0 };
        await Ingestor.StoreAsync(
            "barn",
            [.. peaks.Select((peak, i) => Motion((ulong)i + 1, $"e{i}", peak, start: T0.AddMinutes(i), end: T0.AddMinutes(i).AddSeconds(5)))],
            CancellationToken.None);

        await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 100, CancellationToken.None);

        Assert.Equal(["e0", "e1", "e3"], (await WorkAsync(await Deliveries.DueAsync(10, CancellationToken.None))).Select(d => d.EventId));
    }

    private async Task<(long Pending, long Sent, long Dead)> CountsAsync(long channel)
    {
        var row = await Channels.FindWithCountsAsync(channel, CancellationToken.None);
        return (row!.Pending, row.Sent, row.Dead);
    }

    /// <summary>The deliveries by their events' own ids (the node's), with what a message shows.</summary>
    private async Task<List<(string EventId, string NodeName, string CameraName, double Peak, string Rule)>> WorkAsync(IReadOnlyList<DeliveryWork> due)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        var names = (await connection.QueryAsync<(long Id, string EventId)>("SELECT id, event_id FROM events")).ToDictionary(e => e.Id, e => e.EventId);
        return due.Select(d => (names[d.EventId], d.NodeName, d.CameraName, d.Peak, d.RuleName)).ToList();
    }
}

public sealed class SqliteNotificationStoreTests() : NotificationStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresNotificationStoreTests(PostgresFixture postgres) : NotificationStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
