using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Outages on the events timeline: the server's offline events (node-wide ones on every row of the node) and the
/// nodes' camera-offline reports, as spans overlapping the day rather than as event bars.
/// </summary>
public sealed class TimelineOutageTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 21);
    private static readonly DateTimeOffset Midnight = LocalDay.Bounds(Day).Start;
    private static readonly DateTimeOffset Morning = Midnight.AddHours(6);
    private InProcessServer _server = null!;

    private IReviewQuery Query => _server.Services.GetRequiredService<IReviewQuery>();

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetTimeline_ServerAndNodeOutages_ShadedOnTheirRowsAndNotDrawnAsBars()
    {
        long nodeDown, yardOpen, gateFailed, loss;
        await using (var seed = await SeedAsync())
        {
            await seed.NodeAsync("shed", "Shed", Morning, ["door"]);
            await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5));
            // The node was down from the evening before until six: it began on another day and still shades this one.
            nodeDown = await seed.OutageAsync("barn", "", Midnight.AddHours(-2), Morning, "Barn has not been connected since 22:00.");
            gateFailed = await seed.OutageAsync("barn", "gate", Morning.AddHours(1), Morning.AddHours(1.5), "connection refused", fromNode: true);
            yardOpen = await seed.OutageAsync("barn", "yard", Morning.AddHours(3), null, "Camera YARD is failed: no frames");
            // A system event that is not an outage (a disk loss report) stays a bar; another node's outage shades nothing of the barn's.
            loss = await seed.EventAsync("barn", "", Morning.AddHours(4), TimeSpan.Zero, "system");
            await seed.OutageAsync("shed", "", Morning, null, "Shed has not been connected.");
        }

        var timeline = await Query.GetTimelineAsync(new EventFilter { Day = Day }, CancellationToken.None);

        var yard = Row(timeline, "yard");
        var gate = Row(timeline, "gate");
        var node = Row(timeline, "");
        Assert.Equal([nodeDown, yardOpen], yard.Outages.Select(o => o.EventId));
        Assert.Equal([nodeDown, gateFailed], gate.Outages.Select(o => o.EventId));
        Assert.Equal([nodeDown], node.Outages.Select(o => o.EventId));
        Assert.Equal(new TimelineOutage(nodeDown, Midnight.AddHours(-2), Morning, "Barn has not been connected since 22:00.", WholeNode: true), yard.Outages[0]);
        Assert.Equal(new TimelineOutage(gateFailed, Morning.AddHours(1), Morning.AddHours(1.5), "connection refused", WholeNode: false), gate.Outages[1]);
        Assert.Null(yard.Outages[1].End);
        // The gate has a row for its outages alone; no outage became a bar, and the yard's motion is still one bar.
        Assert.Empty(gate.Bars);
        Assert.Equal(["motion"], yard.Bars.Select(b => b.Kind));
        Assert.Equal([loss], node.Bars.Select(b => b.FirstEventId));
        var door = Assert.Single(timeline.Rows, r => r.Camera == new CameraKey("shed", "door"));
        Assert.Equal(["Shed has not been connected."], door.Outages.Select(o => o.Reason));
    }

    [Fact]
    public async Task GetTimeline_OutagesOfOtherDays_OnlyThoseOverlappingTheDayAndNotDeleted()
    {
        long stillOpen, deleted;
        await using (var seed = await SeedAsync())
        {
            await seed.OutageAsync("barn", "yard", Midnight.AddDays(-3), Midnight.AddHours(-1), "over before the day", fromNode: true);
            await seed.OutageAsync("barn", "yard", Midnight.AddDays(1), null, "after the day");
            stillOpen = await seed.OutageAsync("barn", "gate", Midnight.AddDays(-3), null, "down for days", fromNode: true);
            deleted = await seed.OutageAsync("barn", "gate", Morning, Morning.AddHours(1), "deleted by a reviewer");
        }

        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE events SET deleted_ms = 1 WHERE id = @Id", new { Id = deleted });
        }

        var timeline = await Query.GetTimelineAsync(new EventFilter { Day = Day }, CancellationToken.None);

        Assert.Equal([new CameraKey("barn", "gate")], timeline.Rows.Select(r => r.Camera));
        var outage = Assert.Single(Row(timeline, "gate").Outages);
        Assert.Equal((stillOpen, Midnight.AddDays(-3), (DateTimeOffset?)null), (outage.EventId, outage.Start, outage.End));
    }

    [Fact]
    public async Task GetTimeline_CameraAndSiteFilters_TheCamerasOwnAndItsNodesOutagesOnly()
    {
        await using (var seed = await SeedAsync())
        {
            await seed.NodeAsync("shed", "Shed", Morning, ["door"]);
            await seed.OutageAsync("barn", "", Morning, Morning.AddHours(1), "node down");
            await seed.OutageAsync("barn", "yard", Morning.AddHours(2), Morning.AddHours(3), "yard failed", fromNode: true);
            await seed.OutageAsync("barn", "gate", Morning.AddHours(2), Morning.AddHours(3), "gate failed", fromNode: true);
            await seed.OutageAsync("shed", "door", Morning, null, "door failed", fromNode: true);
        }

        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE nodes SET site = 'farm' WHERE id = 'barn'");
        }

        var yardOnly = await Query.GetTimelineAsync(new EventFilter { Day = Day, Camera = new CameraKey("barn", "yard") }, CancellationToken.None);
        var farm = await Query.GetTimelineAsync(new EventFilter { Day = Day, Site = "farm" }, CancellationToken.None);

        var yard = Assert.Single(yardOnly.Rows);
        Assert.Equal(["node down", "yard failed"], yard.Outages.Select(o => o.Reason));
        Assert.All(farm.Rows, r => Assert.Equal("barn", r.Camera.NodeId));
        Assert.Equal(3, farm.Rows.Count);
    }

    [Fact]
    public async Task Ingest_NodeCameraOffline_OpenUntilTheNodeClosesIt()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var filter = new EventFilter { Day = LocalDay.Of(start) };
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));

        await node.SendBatchAsync(CameraOffline(1, start, end: null));
        var open = Assert.Single(Row(await Query.GetTimelineAsync(filter, CancellationToken.None), "yard").Outages);
        await node.SendBatchAsync(CameraOffline(2, start, start.AddMinutes(5)));
        var closed = Assert.Single(Row(await Query.GetTimelineAsync(filter, CancellationToken.None), "yard").Outages);

        Assert.Equal(("ffmpeg exited: connection refused", (DateTimeOffset?)null), (open.Reason, open.End));
        Assert.Equal(open.EventId, closed.EventId);
        Assert.Equal(start.AddMinutes(5).ToUnixTimeMilliseconds(), closed.End?.ToUnixTimeMilliseconds());
        Assert.False(closed.WholeNode);
    }

    /// <summary>
    /// The read must find a day's outages through <c>events_outages</c>: a table of years of motion events would
    /// otherwise be walked back to its first row on every refresh of the events page.
    /// </summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData("farm", false)]
    [InlineData(null, true)]
    [Trait(TestEngine.Trait, DatabaseChoice.Sqlite)]
    public async Task OutageQuery_Plan_UsesTheOutageIndex(string? site, bool oneCamera)
    {
        // SQLite only (left out of the PostgreSQL run by its trait): about SQLite's planner and its INDEXED BY;
        // PostgreSQL's planner weighs the index itself.
        Assert.Equal(SqlDialect.Sqlite, Database.Dialect);

        await using var connection = await Database.OpenAsync(CancellationToken.None);

        var plan = (await connection.QueryAsync<PlanRow>(
            "EXPLAIN QUERY PLAN " + OutageQueries.Sql(SqlDialect.Sqlite, site, oneCamera),
            new { From = 0L, To = 1L, Site = site, NodeId = "barn", CameraId = "yard" })).Select(p => p.Detail).ToList();

        Assert.Contains(plan, d => d.Contains("USING INDEX events_outages", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN e", StringComparison.Ordinal));
    }

    private ServerDatabase Database => _server.Database();

    private static TimelineRow Row(DayTimeline timeline, string camera) => Assert.Single(timeline.Rows, r => r.Camera == new CameraKey("barn", camera));

    /// <summary>The node's report of its camera failing, as CameraOutages publishes it (opened, later closed under the same id).</summary>
    private static Result CameraOffline(ulong sequence, DateTimeOffset start, DateTimeOffset? end) => new()
    {
        Sequence = sequence,
        CameraId = "yard",
        PluginId = "node",
        ProducedAt = Timestamp.FromDateTimeOffset(end ?? start),
        Event = new Event
        {
            EventId = "outage-1",
            Kind = "system",
            Start = Timestamp.FromDateTimeOffset(start),
            End = end is { } e ? Timestamp.FromDateTimeOffset(e) : null,
            PayloadJson = """{"type":"camera-offline","camera":"yard","reason":"ffmpeg exited: connection refused"}""",
        },
    };

    private async Task<DataSeeder> SeedAsync()
    {
        var seed = await _server.SeedAsync();
        await seed.NodeAsync("barn", "Barn", Morning, ["yard", "gate"]);
        return seed;
    }

    private sealed record PlanRow
    {
        public string Detail { get; init; } = "";
    }
}
