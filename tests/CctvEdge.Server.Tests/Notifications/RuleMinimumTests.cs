using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Minimum peak and duration: an open event is judged again as it grows, and sent once when it qualifies.</summary>
public sealed class RuleMinimumTests
{
    [Fact]
    public async Task MinPeak_OpenEventBelow_WaitsThenSentOnceItsPeakGrows_OnceAcrossARestart()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Big", MinPeak = 5 });
        var start = rules.Clock.GetUtcNow().AddSeconds(-3);

        var id = await rules.EventAsync("yard-1", start, null, 1.5);
        await rules.PassAsync();
        Assert.Empty(await rules.QueuedAsync());
        Assert.Equal(1, await rules.WaitingAsync());

        await rules.EventAsync("yard-1", start, null, 6);
        await rules.PassAsync();
        Assert.Equal([id], await rules.QueuedAsync());
        Assert.Equal(0, await rules.WaitingAsync());

        await rules.EventAsync("yard-1", start, start.AddSeconds(20), 9);
        await rules.RestartAsync();
        await rules.PassAsync();
        Assert.Equal([id], await rules.QueuedAsync());
    }

    [Fact]
    public async Task MinPeak_EventEndsBelow_NeverSent_AndNotWaitedFor()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Big", MinPeak = 5 });
        var start = rules.Clock.GetUtcNow().AddSeconds(-30);
        await rules.EventAsync("open", start, null, 1);
        await rules.EventAsync("closed", start, start.AddSeconds(5), 4.9);
        var reached = await rules.EventAsync("reached", start, start.AddSeconds(5), 5);

        await rules.PassAsync();
        Assert.Equal(1, await rules.WaitingAsync());
        await rules.EventAsync("open", start, start.AddSeconds(10), 2);
        await rules.PassAsync();

        Assert.Equal([reached], await rules.QueuedAsync());
        Assert.Equal(0, await rules.WaitingAsync());
    }

    [Fact]
    public async Task MinDuration_OpenEventSentOnceItHasLastedLongEnough_ShortOneDropped()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Lingering", MinDurationSeconds = 30 });
        var now = rules.Clock.GetUtcNow();
        var lingering = await rules.EventAsync("long", now.AddSeconds(-5), null, 2);
        await rules.EventAsync("short", now.AddSeconds(-4), null, 2);

        await rules.PassAsync();
        rules.Clock.Advance(TimeSpan.FromSeconds(20));
        await rules.EventAsync("short", now.AddSeconds(-4), now.AddSeconds(10), 2);
        await rules.PassAsync();
        Assert.Empty(await rules.QueuedAsync());
        Assert.Equal(1, await rules.WaitingAsync());

        rules.Clock.Advance(TimeSpan.FromSeconds(10));
        await rules.RestartAsync();
        await rules.PassAsync();
        await rules.PassAsync();

        Assert.Equal([lingering], await rules.QueuedAsync());
        Assert.Equal(0, await rules.WaitingAsync());
    }

    [Fact]
    public async Task Wait_EventOpenLongerThanADay_GivenUp()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Big", MinPeak = 5 });
        await rules.EventAsync("stuck", rules.Clock.GetUtcNow(), null, 1);
        await rules.PassAsync();

        rules.Clock.Advance(TimeSpan.FromHours(25));
        await rules.PassAsync();

        Assert.Equal(0, await rules.WaitingAsync());
        Assert.Empty(await rules.QueuedAsync());
    }

    [Fact]
    public async Task Wait_RuleDeletedOrEventDeleted_WaitGoes()
    {
        using var rules = await RuleFixture.CreateAsync();
        var rule = await rules.RuleAsync(new NotificationRule { Name = "Big", MinPeak = 5 });
        await rules.RuleAsync(new NotificationRule { Name = "Long", MinDurationSeconds = 600 });
        var start = rules.Clock.GetUtcNow();
        var deleted = await rules.EventAsync("deleted", start, null, 1);
        await rules.PassAsync();
        Assert.Equal(2, await rules.WaitingAsync());

        await new Server.Notifications.Rules.RuleStore(rules.Database, rules.Clock).DeleteAsync(rule, CancellationToken.None);
        Assert.Equal(1, await rules.WaitingAsync());
        await using (var connection = await rules.Database.OpenAsync(CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE events SET deleted_ms = 1 WHERE id = @Id", new { Id = deleted });
        }

        rules.Clock.Advance(TimeSpan.FromMinutes(11));
        await rules.PassAsync();

        Assert.Equal(0, await rules.WaitingAsync());
        Assert.Empty(await rules.QueuedAsync());
    }

    [Fact]
    public async Task Adaptive_OpenEventJudgedAgainOnItsGrownPeak()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Unusual", Adaptive = new RuleAdaptive { K = 2, MinSamples = 3 } });
        var start = rules.Clock.GetUtcNow().AddHours(-1);
        long[] learning = [await rules.EventAsync("a", start, start.AddSeconds(5), 2), await rules.EventAsync("b", start.AddMinutes(1), start.AddMinutes(1).AddSeconds(5), 2.2), await rules.EventAsync("c", start.AddMinutes(2), start.AddMinutes(2).AddSeconds(5), 1.8)];
        var open = await rules.EventAsync("d", start.AddMinutes(3), null, 2.1);
        await rules.PassAsync();
        Assert.Equal(learning, await rules.QueuedAsync());

        await rules.EventAsync("d", start.AddMinutes(3), null, 9);
        await rules.PassAsync();

        Assert.Equal([.. learning, open], await rules.QueuedAsync());
    }

    [Fact]
    public async Task Zones_OpenEventEntersTheZoneLater_SentThen_KindOrCameraMismatchNeverWaits()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "Door", Kinds = ["motion"], Zones = ["door"] });
        var start = rules.Clock.GetUtcNow().AddSeconds(-5);
        var id = await rules.EventAsync("walk", start, null, 2);
        await rules.EventAsync("other-kind", start, null, 2, kind: "vibration", zones: "[\"door\"]");
        await rules.PassAsync();
        Assert.Equal(1, await rules.WaitingAsync());

        await rules.EventAsync("walk", start, null, 2, zones: "[\"gate\", \"door\"]");
        await rules.PassAsync();

        Assert.Equal([id], await rules.QueuedAsync());
        Assert.Equal(0, await rules.WaitingAsync());
    }

    [Fact]
    public async Task EndToEnd_NodeUpdatesTheEvent_WebhookGetsItOnceWithTheGrownPeak()
    {
        await using var server = await InProcessServer.StartAsync("--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Big", kinds = new[] { "motion" }, channels = new[] { channel }, minPeak = 5 });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        var start = DateTimeOffset.UtcNow.AddSeconds(-2);

        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", start, peak: 2));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(receiver.Hooks);
        await node.SendBatchAsync(NodeSessionClient.Event(2, "yard-1", start, peak: 7));
        await Eventually.TrueAsync(() => !receiver.Hooks.IsEmpty, TimeSpan.FromSeconds(30), "the event once its peak reached the minimum");
        await node.SendBatchAsync(NodeSessionClient.Event(3, "yard-1", start, DateTimeOffset.UtcNow, peak: 8));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var hook = Assert.Single(receiver.Hooks);
        Assert.Equal(7, hook.Json.GetProperty("event").GetProperty("peak").GetDouble());
    }

    [Theory]
    [InlineData("\"minPeak\": -1", "minPeak")]
    [InlineData("\"minPeak\": \"5\"", "minPeak")]
    [InlineData("\"minDurationSeconds\": 1.5", "minDurationSeconds")]
    [InlineData("\"minDurationSeconds\": 86401", "minDurationSeconds")]
    public async Task Minimums_BadValues_400NamingTheField(string field, string name)
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });

        using var response = await server.Http.PostAsync("/api/notification-rules", new StringContent($$"""{"name": "R", "channels": [{{channel}}], {{field}}}""", Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Minimums_SavedAndListed()
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });

        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "R", channels = new[] { channel }, minPeak = 2.5, minDurationSeconds = 10 });
        var listed = JsonDocument.Parse(await server.Http.GetStringAsync("/api/notification-rules")).RootElement[0];

        Assert.Equal((2.5, 10), (listed.GetProperty("minPeak").GetDouble(), listed.GetProperty("minDurationSeconds").GetInt32()));
    }
}
