using CctvEdge.Server.Hosting;
using CctvEdge.Harness;
using CctvEdge.Server.Notifications;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Reports;
using CctvEdge.Server.Notifications.Trends;
using CctvEdge.Server.Sessions;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The day-by-day sums on each engine: a camera's event time in a window (day-over-day rules) and its trend event, the
/// daily report's counts, clip bytes and reading ranges for a local day, and the report's last day sent per channel.
/// </summary>
public abstract class DailyReportStoreTests : EngineStoreTests
{
    private protected DailyReportStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private ChannelStore Channels => new(Database, Clock);

    private DailyReportQuery Query => new(Database, Nodes, new NoStorage(), new SessionRegistry(), Clock);

    [Fact]
    public async Task DayOverDay_EventSeconds_ClippedToTheWindow_OpenUntilNow_OfTheKindsAndCameraOnly()
    {
        var store = new DayOverDayStore(Database, Clock);
        await Ingestor.StoreAsync(
            "barn",
            [
                Motion(1, "before", start: T0.AddMinutes(-10), end: T0.AddMinutes(5)),
                Motion(2, "open", start: T0.AddMinutes(30)),
                Motion(3, "person", kind: "person", start: T0.AddMinutes(10), end: T0.AddMinutes(20)),
                Motion(4, "after", start: T0.AddHours(2), end: T0.AddHours(3)),
                Motion(5, "gate", camera: "gate", start: T0, end: T0.AddMinutes(50)),
            ],
            CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "door", camera: "yard", start: T0, end: T0.AddMinutes(50))], CancellationToken.None);

        var motion = await store.EventSecondsAsync("barn", "yard", ["motion"], T0, T0.AddHours(1), CancellationToken.None);
        var both = await store.EventSecondsAsync("barn", "yard", ["motion", "person"], T0, T0.AddHours(1), CancellationToken.None);
        var none = await store.EventSecondsAsync("barn", "yard", ["motion"], T0.AddHours(-5), T0.AddHours(-1), CancellationToken.None);

        Assert.Equal((300 + 1800.0, 300 + 1800 + 600.0, 0.0), (motion, both, none));
    }

    [Fact]
    public async Task DayOverDay_TrendRaisedOncePerRuleCameraAndDay_QueuedForTheRulesChannelsThatExist()
    {
        var store = new DayOverDayStore(Database, Clock);
        var (_, hook) = await Channels.SaveAsync(null, "Hook", "webhook", "{}", "", CancellationToken.None);
        var day = DateOnly.FromDateTime(T0.UtcDateTime);

        var raised = await store.RaiseAsync(7, "Busier", [hook, hook + 9], "barn", "yard", "motion-trend", day, 42.14, "more motion", CancellationToken.None);
        var again = await store.RaiseAsync(7, "Busier", [hook], "barn", "yard", "motion-trend", day, 50, "more motion", CancellationToken.None);
        var otherRule = await store.RaiseAsync(8, "Also", [], "barn", "yard", "motion-trend", day, 50, "more motion", CancellationToken.None);

        Assert.Equal((true, false, true), (raised, again, otherRule));
        var delivery = Assert.Single(await new DeliveryStore(Database, Clock).DueAsync(10, CancellationToken.None));
        Assert.Equal((hook, "Busier", "motion-trend", 42.1, "YARD"), (delivery.ChannelId, delivery.RuleName, delivery.Kind, delivery.Peak, delivery.CameraName));
    }

    [Fact]
    public async Task Report_OneLocalDay_EventsByKindClipBytesAndReadingRanges()
    {
        var day = LocalDay.Of(T0);
        var (start, end) = LocalDay.Bounds(day);
        await Ingestor.StoreAsync(
            "barn",
            [
                Motion(1, "m1", peak: 2, start: start.AddMinutes(1)),
                Motion(2, "m2", peak: 5, start: start.AddHours(2)),
                Motion(3, "p1", peak: 1, kind: "person", start: start.AddHours(3)),
                Motion(4, "next", peak: 9, start: end),
                Magnitude(5, 3.5, start.AddMinutes(1)),
                Magnitude(6, 7.25, start.AddMinutes(2)),
                Magnitude(7, 99, end.AddMinutes(1)),
                Clip(8, "c1", start.AddMinutes(1), start.AddMinutes(2)),
                Clip(9, "c2", start.AddMinutes(3), start.AddMinutes(4)),
                Clip(10, "c3", end.AddMinutes(3), end.AddMinutes(4)),
            ],
            CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "d1", camera: "door", start: start.AddHours(1))], CancellationToken.None);
        await Database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("UPDATE clips SET state = 'stored', size = 2000000000", transaction: transaction),
            CancellationToken.None);

        var report = await Query.BuildAsync(day, CancellationToken.None);

        Assert.Equal(day, report.Day);
        Assert.Equal(
            [("DOOR", "motion=1", 1.0, 0L, 0L), ("YARD", "motion=2 person=1", 5.0, 4_000_000_000L, 2L)],
            report.Cameras.Select(c => (c.CameraName, string.Join(' ', c.EventsByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")), c.MaxPeak, c.ClipBytes, c.Clips)));
        var reading = Assert.Single(report.Readings);
        Assert.Equal(("YARD", "motion.magnitude", 3.5, 7.25, 5.375, 2L), (reading.CameraName, reading.Name, reading.Min, reading.Max, reading.Mean, reading.Count));
        Assert.Equal(2, report.OfflineNodes.Count);
    }

    [Fact]
    public async Task ReportService_DaySentRecordedPerChannel_SentOncePerDay()
    {
        await using var smtp = FakeSmtp.Start();
        var settings = $$"""
            {"host":"127.0.0.1","port":"{{smtp.Port}}","username":"{{FakeSmtp.User}}","password":"{{FakeSmtp.Password}}","from":"cctv@example.com","to":"farm@example.com","certificateSha256":"{{smtp.CertificateSha256}}","dailyReportAt":"00:00"}
            """;
        var (_, channel) = await Channels.SaveAsync(null, "Morning", ChannelKinds.Email, settings, "", CancellationToken.None);
        await Channels.SaveAsync(null, "Hook", ChannelKinds.Webhook, "{}", "", CancellationToken.None);
        var service = new DailyReportService(Channels, new ChannelSecrets(new EphemeralDataProtectionProvider()), Query, Database, Clock, new Leadership(NullLogger<Leadership>.Instance), NullLogger<DailyReportService>.Instance);

        var first = await service.RunOnceAsync(CancellationToken.None);
        var second = await service.RunOnceAsync(CancellationToken.None);
        Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await service.RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0, 1), (first, second, nextDay));
        Assert.Equal(2, smtp.Received.Count);
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        Assert.Equal(
            LocalDay.Today(Clock).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            await connection.ExecuteScalarAsync<string>("SELECT value FROM settings WHERE key = @Key", new { Key = $"report.{channel}.last_day" }));
    }

    /// <summary>No disks: the report's storage part is not what these tests read.</summary>
    private sealed class NoStorage : IStorageQuery
    {
        public Task<StorageModel> GetAsync(int days, string? site, CancellationToken cancellationToken) => Task.FromResult(new StorageModel([], [], 0, 0, []));
    }
}

public sealed class SqliteDailyReportStoreTests() : DailyReportStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresDailyReportStoreTests(PostgresFixture postgres) : DailyReportStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
