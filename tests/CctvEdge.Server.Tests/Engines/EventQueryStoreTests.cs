using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Live;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Server.Processors.Media;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Timelapse;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The events page's queries (EventQueries) on each engine: filters on zones and detection labels read from JSON,
/// grouping by window functions and aggregates, the day's options, each camera's latest event and the motion graph.
/// </summary>
public abstract class EventQueryStoreTests : EngineStoreTests
{
    private const string PersonAndCar = """{"labels": [{"label": "Person", "score": 0.9}, {"label": "car"}]}""";

    private protected EventQueryStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    private EventQueries Queries => new(Database);

    [Fact]
    public async Task Page_ZoneLabelAndKindFilters_OnlyMatchingEventsAndTheirCount()
    {
        await StoreDayAsync();

        var gate = await Queries.PageAsync(new EventQuery { Zone = "gate" }, 0, 10, CancellationToken.None);
        var person = await Queries.PageAsync(new EventQuery { Label = "PERSON" }, 0, 10, CancellationToken.None);
        var detection = await Queries.PageAsync(new EventQuery { Kind = "detection", NodeId = "barn" }, 0, 1, CancellationToken.None);

        Assert.Equal(["m2", "m1"], await EventIdsAsync(gate.Rows));
        Assert.Equal(["d1"], await EventIdsAsync(person.Rows));
        Assert.Equal((2L, 1L), (gate.Total, person.Total));
        var row = Assert.Single(detection.Rows);
        Assert.Equal(2, detection.Total);
        Assert.Equal(("YARD", true, false), (row.CameraName, row.Open, row.Acknowledged));
        Assert.Equal(["person", "car"], JsonDocument.Parse(row.LabelsJson).RootElement[0].EnumerateArray().Select(l => l.GetProperty("label").GetString()!.ToLowerInvariant()));
    }

    [Fact]
    public async Task Page_Grouped_CloseEventsOfACameraAndKindFoldedIntoOneRow()
    {
        await StoreDayAsync();

        var (rows, total) = await Queries.PageAsync(new EventQuery { Kind = "motion", GroupGapSeconds = 60 }, 0, 10, CancellationToken.None);

        Assert.Equal(3, total);
        var group = Assert.Single(rows, r => r.CameraId == "yard" && r.Ids.Contains(',', StringComparison.Ordinal));
        var first = (await Queries.PageAsync(new EventQuery { Kind = "motion", NodeId = "barn" }, 0, 10, CancellationToken.None)).Rows.Min(r => long.Parse(r.Ids, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first, long.Parse(group.Ids.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((T0.ToUnixTimeMilliseconds(), T0.AddSeconds(50).ToUnixTimeMilliseconds(), 7.0, false), (group.StartMs, group.StopMs, group.Peak, group.Open));
        Assert.Equal(2, JsonDocument.Parse(group.ZonesJson).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task DayOptions_Events_KindsZonesLowerCaseLabelsAndUnacknowledged()
    {
        await StoreDayAsync();

        var (kinds, zones, labels, open) = await Queries.DayOptionsAsync(T0.AddHours(-1).ToUnixTimeMilliseconds(), T0.AddDays(1).ToUnixTimeMilliseconds(), null, CancellationToken.None);

        Assert.Equal(["detection", "motion"], kinds);
        Assert.Equal(["gate", "road"], zones);
        Assert.Equal(["car", "person"], labels);
        Assert.Equal(6, open);
    }

    [Fact]
    public async Task LatestPerCamera_SeveralEvents_EachCamerasLatestKind()
    {
        await StoreDayAsync();

        var latest = await Queries.LatestPerCameraAsync(T0.ToUnixTimeMilliseconds(), CancellationToken.None);

        Assert.Equal([("barn", "yard", "detection"), ("shed", "door", "motion")], latest.OrderBy(l => l.NodeId).Select(l => (l.NodeId, l.CameraId, l.Kind)));
    }

    [Fact]
    public async Task Motion_MinuteBuckets_PeakOfEachBucket()
    {
        await Ingestor.StoreAsync("barn", [Magnitude(1, 0.2, T0), Magnitude(2, 0.7, T0.AddSeconds(20)), Magnitude(3, 0.4, T0.AddMinutes(2))], CancellationToken.None);

        var graph = await Queries.MotionAsync(new CameraRef("barn", "yard"), T0.ToUnixTimeMilliseconds(), T0.AddMinutes(4).ToUnixTimeMilliseconds(), 120_000, CancellationToken.None);
        var fine = await Queries.MotionAsync(new CameraRef("barn", "yard"), T0.ToUnixTimeMilliseconds(), T0.AddMinutes(1).ToUnixTimeMilliseconds(), 10_000, CancellationToken.None);

        Assert.Equal([(T0.ToUnixTimeMilliseconds(), 0.7), (T0.AddMinutes(2).ToUnixTimeMilliseconds(), 0.4)], graph);
        Assert.Equal([0.2, 0.7], fine.Select(f => f.Value));
    }

    [Fact]
    public async Task FindAndNeighbours_CameraEvents_InStartOrder()
    {
        await StoreDayAsync();
        var spans = (await Queries.SpansAsync(new EventQuery { Camera = new CameraRef("barn", "yard") }, CancellationToken.None)).OrderBy(s => s.StartMs).ThenBy(s => s.Id).ToList();

        var (previous, next) = await Queries.NeighboursAsync(new CameraRef("barn", "yard"), spans[1].StartMs, spans[1].Id, CancellationToken.None);
        var found = await Queries.FindAsync(spans[1].Id, CancellationToken.None);

        Assert.Equal(5, spans.Count);
        Assert.Equal((spans[0].Id, spans[2].Id), (previous!.Value, next!.Value));
        Assert.Equal(spans[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), found!.Ids);
    }

    [Fact]
    public async Task ProcessorLabels_OnAMotionEvent_FilteredListedAndKeptWhenTheNodeRewritesIt()
    {
        await StoreDayAsync();
        // Labelling reads no clip: no clip store.
        var media = new ProcessorMedia(Database, new MediaStore(Temp.Path), null!, new Fixed<TimelapseOptions>(new()), new ChangeFeed()).For("detection");

        Assert.True(await media.LabelEventAsync("barn", "m3", [new EventLabel("person", 0.7, [0.1, 0.2, 0.3, 0.4]), new EventLabel("person", 0.7, [0.1, 0.2, 0.3, 0.4]) with { Label = "intrusion" }], CancellationToken.None));
        Assert.False(await media.LabelEventAsync("barn", "no-such-event", [new EventLabel("car", 0.5, [])], CancellationToken.None));
        await Ingestor.StoreAsync("barn", [Motion(9, "m3", peak: 2, start: T0.AddHours(3), end: T0.AddHours(3).AddSeconds(6))], CancellationToken.None);

        var person = await Queries.PageAsync(new EventQuery { Label = "person" }, 0, 10, CancellationToken.None);
        var (_, _, labels, _) = await Queries.DayOptionsAsync(T0.AddHours(-1).ToUnixTimeMilliseconds(), T0.AddDays(1).ToUnixTimeMilliseconds(), null, CancellationToken.None);

        Assert.Equal(["d1", "m3"], (await EventIdsAsync(person.Rows)).Order(StringComparer.Ordinal));
        var m3 = person.Rows.Single(r => r.StopMs == T0.AddHours(3).AddSeconds(6).ToUnixTimeMilliseconds());
        Assert.Equal(["person", "intrusion"], JsonDocument.Parse(m3.LabelsJson).RootElement[0].EnumerateArray().Select(l => l.GetProperty("label").GetString()));
        Assert.Equal(["car", "intrusion", "person"], labels);
        var seq = await ScalarAsync("SELECT analysis_seq FROM events WHERE event_id = 'm3'");
        Assert.True(await media.LabelEventAsync("shed", "s1", [new EventLabel("car", 0.5, [])], CancellationToken.None));
        Assert.Equal(seq + 1, await ScalarAsync("SELECT analysis_seq FROM events WHERE event_id = 's1'"));
    }

    /// <summary>Barn's yard: two motions close together (in zone gate), one much later, two detections (the latest open, with labels); shed's door: one motion.</summary>
    private async Task StoreDayAsync()
    {
        await Ingestor.StoreAsync(
            "barn",
            [
                Motion(1, "m1", peak: 3, end: T0.AddSeconds(10), zones: ["gate"]),
                Motion(2, "m2", peak: 7, start: T0.AddSeconds(30), end: T0.AddSeconds(50), zones: ["gate", "road"]),
                Motion(3, "m3", peak: 1, start: T0.AddHours(3), end: T0.AddHours(3).AddSeconds(5)),
                Motion(4, "d2", kind: "detection", start: T0.AddHours(4), end: T0.AddHours(4).AddSeconds(1), payload: """{"score": 1}"""),
                Motion(5, "d1", kind: "detection", start: T0.AddHours(5), payload: PersonAndCar),
            ],
            CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "s1", camera: "door", start: T0.AddHours(2), end: T0.AddHours(2).AddSeconds(1))], CancellationToken.None);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }

    private async Task<List<string>> EventIdsAsync(IEnumerable<EventGroupRow> rows)
    {
        var events = await new EventStore(Database).LatestAsync(100, null, CancellationToken.None);
        return rows.Select(r => events.Single(e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == r.Ids).EventId).ToList();
    }
}

public sealed class SqliteEventQueryStoreTests() : EventQueryStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresEventQueryStoreTests(PostgresFixture postgres) : EventQueryStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
