using CctvEdge.Server.Notifications;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using CctvEdge.Web;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests;

public sealed class ReviewTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 21);
    private static readonly DateTimeOffset Morning = LocalDay.Bounds(Day).Start.AddHours(6);
    private InProcessServer _server = null!;

    private IReviewQuery Query => _server.Services.GetRequiredService<IReviewQuery>();

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetEvents_DwellGap_NearbyEventsOfACameraBecomeOneRow()
    {
        long[] ids;
        await using (var seed = await SeedAsync())
        {
            ids =
            [
                await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5)),
                await seed.EventAsync("barn", "yard", Morning.AddSeconds(30), TimeSpan.FromSeconds(5)),
                await seed.EventAsync("barn", "yard", Morning.AddSeconds(60), TimeSpan.FromSeconds(5), zones: "gate"),
                await seed.EventAsync("barn", "yard", Morning.AddMinutes(10), TimeSpan.FromSeconds(5)),
                await seed.EventAsync("barn", "gate", Morning.AddSeconds(20), TimeSpan.FromSeconds(5)),
            ];
        }

        var ungrouped = await Query.GetEventsAsync(new EventFilter { Day = Day }, 0, 50, CancellationToken.None);
        var grouped = await Query.GetEventsAsync(new EventFilter { Day = Day, GroupGapSeconds = 60 }, 0, 50, CancellationToken.None);

        Assert.Equal(5, ungrouped.Total);
        Assert.Equal(3, grouped.Total);
        var group = Assert.Single(grouped.Items, g => g.Count == 3);
        Assert.Equal(ids[..3], group.EventIds);
        Assert.Equal(Morning, group.Start);
        Assert.Equal(Morning.AddSeconds(65), group.End);
        Assert.Equal(["gate"], group.Zones);
        Assert.Equal(ids[3], grouped.Items[0].FirstId);
    }

    [Fact]
    public async Task GetEvents_DetectionLabels_ShownWithBestScore_FilteredAnyCase_OfferedForTheDay_BadPayloadHarmless()
    {
        long person, vehicle;
        await using (var seed = await SeedAsync())
        {
            person = await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5), kind: "detection");
            await seed.PayloadAsync(person, """{"label":"person","labels":[{"label":"person","score":0.62,"box":[0.1,0.2,0.1,0.3]},{"label":"Intrusion","score":0.62,"alert":true}]}""");
            var again = await seed.EventAsync("barn", "yard", Morning.AddSeconds(20), TimeSpan.FromSeconds(5), kind: "detection");
            await seed.PayloadAsync(again, """{"labels":[{"label":"Person","score":0.91}]}""");
            vehicle = await seed.EventAsync("barn", "gate", Morning.AddSeconds(40), TimeSpan.FromSeconds(5), kind: "detection");
            await seed.PayloadAsync(vehicle, """{"labels":[{"label":"car","score":0.8},{"label":"vehicle","score":0.8}]}""");
            var broken = await seed.EventAsync("barn", "gate", Morning.AddSeconds(60), TimeSpan.FromSeconds(5));
            await seed.PayloadAsync(broken, "not json {");
        }

        var all = await Query.GetEventsAsync(new EventFilter { Day = Day }, 0, 50, CancellationToken.None);
        var people = await Query.GetEventsAsync(new EventFilter { Day = Day, Label = "PERSON" }, 0, 50, CancellationToken.None);
        var grouped = await Query.GetEventsAsync(new EventFilter { Day = Day, Label = "person", GroupGapSeconds = 60 }, 0, 50, CancellationToken.None);
        var options = await Query.GetDayOptionsAsync(Day, null, CancellationToken.None);

        Assert.Equal(4, all.Total);
        Assert.Equal([new EventLabelView("person", 0.62), new EventLabelView("intrusion", 0.62)], all.Items.Single(e => e.FirstId == person).Labels.OrderBy(l => l.Label == "intrusion").ToList());
        Assert.Equal(["car", "vehicle"], all.Items.Single(e => e.FirstId == vehicle).Labels.Select(l => l.Label).Order());
        // Only boxed labels have boxes (the alert type here has none; the car's neither).
        Assert.Equal([new LabelBox("person", 0.62, 0.1, 0.2, 0.1, 0.3)], all.Items.Single(e => e.FirstId == person).Boxes);
        Assert.Empty(all.Items.Single(e => e.FirstId == vehicle).Boxes);
        Assert.Empty(all.Items.Single(e => e.Kind == "motion").Labels);
        Assert.Equal(2, people.Total);
        Assert.All(people.Items, e => Assert.Contains(e.Labels, l => l.Label == "person"));
        // A row of two events shows each label once, with its best score.
        var row = Assert.Single(grouped.Items);
        Assert.Equal(2, row.Count);
        Assert.Equal(0.91, row.Labels.Single(l => l.Label == "person").Score);
        Assert.Equal(["car", "intrusion", "person", "vehicle"], options.Labels);
    }

    [Fact]
    public async Task GetEvents_Filters_KindZoneAcknowledgedFlaggedAndPaging()
    {
        long gate;
        await using (var seed = await SeedAsync())
        {
            await seed.EventsAsync("barn", "yard", Morning, TimeSpan.FromHours(1), 120);
            gate = await seed.EventAsync("barn", "yard", Morning.AddHours(2), TimeSpan.FromSeconds(3), "system", 1, "fence");
            await seed.EventAsync("barn", "yard", Morning.AddDays(1), TimeSpan.FromSeconds(3));
        }

        await AsAsync(Roles.Admin, actions => actions.AcknowledgeAsync([gate], true, CancellationToken.None));
        await AsAsync(Roles.Admin, actions => actions.FlagAsync([gate], true, CancellationToken.None));

        Assert.Equal(121, (await Query.GetEventsAsync(new EventFilter { Day = Day }, 0, 50, CancellationToken.None)).Total);
        // Of the 120 seeded, every 50th is a system event: 118 motion events, 18 after skipping 100.
        Assert.Equal(18, (await Query.GetEventsAsync(new EventFilter { Day = Day, Kind = "motion" }, 100, 50, CancellationToken.None)).Items.Count);
        Assert.Equal(gate, Assert.Single((await Query.GetEventsAsync(new EventFilter { Day = Day, Zone = "fence" }, 0, 50, CancellationToken.None)).Items).FirstId);
        Assert.Equal(gate, Assert.Single((await Query.GetEventsAsync(new EventFilter { Day = Day, Acknowledged = true }, 0, 50, CancellationToken.None)).Items).FirstId);
        Assert.Equal(gate, Assert.Single((await Query.GetEventsAsync(new EventFilter { Day = Day, Flagged = true }, 0, 50, CancellationToken.None)).Items).FirstId);
        Assert.Equal(120, (await Query.GetEventsAsync(new EventFilter { Day = Day, Acknowledged = false }, 0, 50, CancellationToken.None)).Total);
        var options = await Query.GetDayOptionsAsync(Day, null, CancellationToken.None);
        Assert.Equal(["motion", "system"], options.Kinds);
        Assert.Contains("fence", options.Zones);
        Assert.Equal(120, options.Unacknowledged);
    }

    [Fact]
    public async Task Site_NodesInSites_EventsTimelineAndOptionsOfThatSiteOnly()
    {
        long barn, shed;
        await using (var seed = await SeedAsync())
        {
            await seed.NodeAsync("shed", "Shed", Morning, ["door"]);
            barn = await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5));
            shed = await seed.EventAsync("shed", "door", Morning.AddMinutes(1), TimeSpan.FromSeconds(5));
            await seed.EventAsync("shed", "door", Morning.AddMinutes(2), TimeSpan.FromSeconds(5));
        }

        var nodes = _server.Services.GetRequiredService<NodeStore>();
        await nodes.SetSiteAsync("barn", "North field", CancellationToken.None);
        await nodes.SetSiteAsync("shed", "Yard", CancellationToken.None);
        var yard = new EventFilter { Day = Day, Site = "Yard" };

        Assert.Equal(["North field", "Yard"], await _server.Services.GetRequiredService<ISiteQuery>().GetSitesAsync(CancellationToken.None));
        var page = await Query.GetEventsAsync(yard, 0, 50, CancellationToken.None);
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, e => Assert.Equal("shed", e.NodeId));
        Assert.Contains(shed, page.Items.SelectMany(e => e.EventIds));
        Assert.Equal(barn, Assert.Single((await Query.GetEventsAsync(yard with { Site = "North field" }, 0, 50, CancellationToken.None)).Items).FirstId);
        Assert.Equal(0, (await Query.GetEventsAsync(yard with { Site = "Elsewhere" }, 0, 50, CancellationToken.None)).Total);
        Assert.Equal([new CameraKey("shed", "door")], (await Query.GetTimelineAsync(yard, CancellationToken.None)).Rows.Select(r => r.Camera));
        var options = await Query.GetDayOptionsAsync(Day, "Yard", CancellationToken.None);
        Assert.Equal(2, options.Unacknowledged);
        Assert.All(options.Cameras, c => Assert.Equal("shed", c.Key.NodeId));
        Assert.Equal(3, (await Query.GetDayOptionsAsync(Day, null, CancellationToken.None)).Unacknowledged);
    }

    [Fact]
    public async Task Flag_EventShownByClips_ClipsFlaggedUntilNoFlaggedEventShowsThem()
    {
        long first, second;
        await using (var seed = await SeedAsync())
        {
            first = await seed.EventAsync("barn", "yard", Morning.AddSeconds(2), TimeSpan.FromSeconds(3));
            second = await seed.EventAsync("barn", "yard", Morning.AddSeconds(8), TimeSpan.FromSeconds(5));
        }

        await ClipFixtures.StoreAsync(_server, "a", Morning);             // 0-10 s: shows both
        await ClipFixtures.StoreAsync(_server, "b", Morning.AddSeconds(10)); // 10-20 s: shows the second
        await ClipFixtures.StoreAsync(_server, "c", Morning.AddSeconds(30)); // shows neither
        var clips = _server.Services.GetRequiredService<ClipStore>();

        await AsAsync(Roles.Admin, actions => actions.FlagAsync([first, second], true, CancellationToken.None));
        Assert.Equal(new[] { true, true, false }, await FlagsAsync(clips, "a", "b", "c"));

        await AsAsync(Roles.Admin, actions => actions.FlagAsync([second], false, CancellationToken.None));
        Assert.Equal(new[] { true, false, false }, await FlagsAsync(clips, "a", "b", "c"));

        await AsAsync(Roles.Admin, actions => actions.DeleteAsync([first], CancellationToken.None));
        Assert.Equal(new[] { false, false, false }, await FlagsAsync(clips, "a", "b", "c"));
        Assert.DoesNotContain((await Query.GetEventsAsync(new EventFilter { Day = Day }, 0, 50, CancellationToken.None)).Items, e => e.EventIds.Contains(first));
    }

    [Fact]
    public async Task Actions_Viewer_RefusedAndNothingChanges()
    {
        long id;
        await using (var seed = await SeedAsync())
        {
            id = await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(3));
        }

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(Roles.Viewer, actions => actions.AcknowledgeAsync([id], true, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(Roles.Viewer, actions => actions.DeleteAsync([id], CancellationToken.None)));

        var row = Assert.Single((await Query.GetEventsAsync(new EventFilter { Day = Day }, 0, 50, CancellationToken.None)).Items);
        Assert.False(row.Acknowledged);
    }

    [Fact]
    public async Task GetTimeline_EventsAndMotion_MergedBarsAndBucketedGraph()
    {
        await using (var seed = await SeedAsync())
        {
            await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5));
            await seed.EventAsync("barn", "yard", Morning.AddSeconds(30), TimeSpan.FromSeconds(5));
            await seed.EventAsync("barn", "yard", Morning.AddHours(1), TimeSpan.FromSeconds(5));
            await seed.EventAsync("barn", "", Morning.AddHours(2), TimeSpan.Zero, "system");
            await seed.MotionAsync("barn", "yard", Morning, Morning.AddHours(2), TimeSpan.FromSeconds(1));
        }

        var timeline = await Query.GetTimelineAsync(new EventFilter { Day = Day }, CancellationToken.None);

        var yard = Assert.Single(timeline.Rows, r => r.Camera == new CameraKey("barn", "yard"));
        Assert.Equal([2, 1], yard.Bars.Select(b => b.Count));
        // Two hours in three-minute buckets.
        Assert.InRange(yard.Motion.Count, 38, 42);
        Assert.Equal("system", Assert.Single(Assert.Single(timeline.Rows, r => r.Camera.CameraId == "").Bars).Kind);
    }

    [Fact]
    public async Task Ingest_MotionMagnitude_DayGraphReadsTheMinutePeaks()
    {
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var results = new[] { 2.0, 9.0, 4.0 }.Select((value, i) =>
        {
            var result = NodeSessionClient.Measurement((ulong)i + 1, value);
            result.Measurement.At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(minute.AddSeconds(10 * i));
            return result;
        }).ToArray();

        await node.SendBatchAsync(results);

        var timeline = await Query.GetTimelineAsync(new EventFilter { Day = LocalDay.Of(minute) }, CancellationToken.None);
        Assert.Equal(9.0, Assert.Single(Assert.Single(timeline.Rows).Motion).Value);
    }

    [Fact]
    public async Task GetEventPlayer_EventWithClips_ClipsNeighboursAndMotion()
    {
        long before, shown, after;
        await using (var seed = await SeedAsync())
        {
            before = await seed.EventAsync("barn", "yard", Morning.AddMinutes(-5), TimeSpan.FromSeconds(3));
            shown = await seed.EventAsync("barn", "yard", Morning.AddSeconds(5), TimeSpan.FromSeconds(10));
            after = await seed.EventAsync("barn", "yard", Morning.AddMinutes(5), TimeSpan.FromSeconds(3));
            await seed.EventAsync("barn", "gate", Morning.AddMinutes(1), TimeSpan.FromSeconds(3));
            await seed.MotionAsync("barn", "yard", Morning, Morning.AddSeconds(30), TimeSpan.FromSeconds(1));
        }

        await ClipFixtures.StoreAsync(_server, "a", Morning);
        await ClipFixtures.StoreAsync(_server, "b", Morning.AddSeconds(10));

        var player = (await Query.GetEventPlayerAsync(shown, CancellationToken.None))!;

        Assert.Equal(["a", "b"], player.Clips.Select(c => c.Id));
        Assert.Equal((before, after), (player.PreviousEventId, player.NextEventId));
        // One point a second over both clips, 0 s to 20 s inclusive.
        Assert.Equal(21, player.Motion.Count);
        Assert.Null(await Query.GetEventPlayerAsync(12345, CancellationToken.None));
    }

    [Fact]
    public async Task NotificationStage_NewEvents_WebNotificationsForConfiguredKindsOnceEach_BySite()
    {
        long motion, system, deleted;
        await using (var seed = await SeedAsync())
        {
            motion = await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(3));
            system = await seed.EventAsync("barn", "", Morning.AddSeconds(5), TimeSpan.Zero, "system");
            await seed.EventAsync("barn", "yard", Morning.AddSeconds(9), TimeSpan.FromSeconds(3), "tamper");
            deleted = await seed.EventAsync("barn", "yard", Morning.AddSeconds(20), TimeSpan.FromSeconds(3));
        }

        await AsAsync(Roles.Admin, actions => actions.DeleteAsync([deleted], CancellationToken.None));
        var stage = _server.Services.GetServices<IHostedService>().OfType<NotificationStage>().Single();
        await stage.RunOnceAsync(CancellationToken.None);
        await stage.RunOnceAsync(CancellationToken.None);

        var notifications = _server.Services.GetRequiredService<INotificationQuery>();
        var page = await notifications.GetAsync(null, null, 0, 50, CancellationToken.None);
        await _server.Services.GetRequiredService<NodeStore>().SetSiteAsync("barn", "North field", CancellationToken.None);
        var inSite = await notifications.GetAsync(null, "North field", 0, 50, CancellationToken.None);
        var elsewhere = await notifications.GetAsync(null, "Elsewhere", 0, 50, CancellationToken.None);
        Assert.Equal([system, motion], page.Items.Select(n => n.EventId));
        Assert.All(page.Items, n => Assert.Equal(("web", "new"), (n.Channel, n.Status)));
        Assert.Equal(2, page.Unacknowledged);
        Assert.Equal((2, 2L), (inSite.Items.Count, inSite.Unacknowledged));
        Assert.Equal((0, 0L), (elsewhere.Items.Count, elsewhere.Unacknowledged));

        await AsAsync(Roles.Admin, actions => actions.AcknowledgeNotificationsAsync([page.Items[1].Id], CancellationToken.None));

        Assert.Equal(system, Assert.Single((await notifications.GetAsync(false, null, 0, 50, CancellationToken.None)).Items).EventId);
        Assert.Contains(motion, Assert.Single((await Query.GetEventsAsync(new EventFilter { Day = Day, Acknowledged = true }, 0, 50, CancellationToken.None)).Items).EventIds);
    }

    private async Task<DataSeeder> SeedAsync()
    {
        var seed = await _server.SeedAsync();
        await seed.NodeAsync("barn", "Barn", Morning, ["yard", "gate"]);
        return seed;
    }

    private async Task<int> AsAsync(string role, Func<IReviewActions, Task<int>> action)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var authentication = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(UserPrincipal.Create(new SignedInUser("tester", role, "stamp")))));
        return await action(scope.ServiceProvider.GetRequiredService<IReviewActions>());
    }

    private static async Task<bool[]> FlagsAsync(ClipStore clips, params string[] ids)
    {
        var flags = new List<bool>();
        foreach (var id in ids)
        {
            flags.Add((await clips.FindAsync(id, CancellationToken.None))!.Flagged);
        }

        return [.. flags];
    }
}
