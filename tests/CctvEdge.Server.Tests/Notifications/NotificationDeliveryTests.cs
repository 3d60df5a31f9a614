using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Notifications;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Rules turn events into deliveries; webhook and Telegram channels send them once, retry, and read Telegram's buttons.</summary>
public sealed class NotificationDeliveryTests
{
    private const string Secret = "a-webhook-secret-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] FastRetries = ["--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2"];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 1, 2, 3, 4, 0xFF, 0xD9];

    [Fact]
    public async Task Webhook_MatchingEventOnly_SignedPostSentOnce_SecretNeverShownNorStoredInClear()
    {
        await using var server = await InProcessServer.StartAsync(FastRetries);
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Farm hook", kind = "webhook", settings = new { url = receiver.Url, secret = Secret } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Yard motion", kinds = new[] { "motion" }, cameras = new[] { "barn.yard" }, channels = new[] { channel }, cooldownSeconds = 0 });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));

        await node.SendBatchAsync(
            NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow.AddSeconds(-5)),
            NodeSessionClient.Event(2, "gate-1", DateTimeOffset.UtcNow.AddSeconds(-4), camera: "gate"));
        var hook = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.TryPeek(out var h) ? h : null), Timeout, "the webhook");
        // The same event updated (its end arrives) is not a new event: nothing more is sent.
        await node.SendBatchAsync(NodeSessionClient.Event(3, "yard-1", DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var listed = Assert.Single((await server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-channels"))!);

        Assert.Single(receiver.Hooks);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), hook.Body)), hook.Headers["X-CctvEdge-Signature"]);
        var payload = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal("event", payload.GetProperty("type").GetString());
        Assert.Equal("Yard motion", payload.GetProperty("rule").GetString());
        Assert.Equal(("barn", "yard", "motion"), (payload.GetProperty("event").GetProperty("node").GetString(), payload.GetProperty("event").GetProperty("camera").GetString(), payload.GetProperty("event").GetProperty("kind").GetString()));
        Assert.Equal(["gate"], payload.GetProperty("event").GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(payload.GetProperty("delivery").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), hook.Headers["X-CctvEdge-Delivery"]);
        Assert.Equal((1, 0, 0), (listed.GetProperty("sent").GetInt64(), listed.GetProperty("pending").GetInt64(), listed.GetProperty("dead").GetInt64()));
        Assert.Equal(["secret"], listed.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(Secret, listed.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await server.EverythingAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_ReceiverDownThenUp_DeliveredOnceAfterItReturns_WhileAnotherChannelIsNotHeldUp()
    {
        await using var server = await InProcessServer.StartAsync(FastRetries);
        var downPort = FreePort.Next();
        using var up = new HookListener();
        var down = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Office", kind = "webhook", settings = new { url = $"http://127.0.0.1:{downPort}/hook/" } });
        var working = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Phone", kind = "webhook", settings = new { url = up.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "All", channels = new[] { down, working } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));

        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => !up.Hooks.IsEmpty, Timeout, "the working channel's webhook");
        var office = await Eventually.GetValueAsync<JsonElement>(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-channels"))!.Single(c => c.GetProperty("id").GetInt64() == down) is var c && c.GetProperty("lastError").GetString()!.Length > 0 ? c : null,
            Timeout,
            "the office channel's error");
        using var back = new HookListener(downPort);
        await Eventually.TrueAsync(() => !back.Hooks.IsEmpty, Timeout, "the office webhook once its receiver is back");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Contains("could not be reached", office.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, office.GetProperty("pending").GetInt64());
        Assert.Single(back.Hooks);
        Assert.Single(up.Hooks);
        Assert.True(JsonDocument.Parse(back.Hooks.Single().Body).RootElement.GetProperty("attempt").GetInt32() > 1);
    }

    [Fact]
    public async Task Telegram_PhotoWithButtons_AcknowledgeAndFlagFromTheChatOnly_WrongTokenShownAndDeadLettered()
    {
        await using var server = await InProcessServer.StartAsync([.. FastRetries, "--Notifications:MaxAttempts", "2"]);
        await using var telegram = await FakeTelegram.StartAsync();
        var good = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Farm chat", kind = "telegram", settings = new { botToken = FakeTelegram.Token, chatId = "4242", apiBaseUrl = telegram.BaseUrl.ToString().TrimEnd('/') } });
        var bad = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Old bot", kind = "telegram", settings = new { botToken = "999:WRONGwrongWRONGwrongWRONG", chatId = "4242", apiBaseUrl = telegram.BaseUrl.ToString().TrimEnd('/') } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Yard", cameras = new[] { "barn.yard" }, channels = new[] { good, bad } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", Jpeg));
        await Task.Delay(500);

        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow));
        var photo = await Eventually.GetAsync(() => Task.FromResult(telegram.Sent.FirstOrDefault()), Timeout, "the photo");
        var eventId = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events"))!.Single().GetProperty("id").GetInt64();
        var message = photo.MessageId;
        telegram.Press(999, message, $"flag:{eventId}", "stranger");
        telegram.Press(4242, message, $"ack:{eventId}");
        await Eventually.TrueAsync(() => telegram.Calls.Count(c => c.Method == "answerCallbackQuery") >= 2, Timeout, "both presses answered");
        telegram.Press(4242, message, $"flag:{eventId}");
        await Eventually.TrueAsync(() => telegram.Calls.Count(c => c.Method == "answerCallbackQuery") >= 3, Timeout, "the flag answered");
        var reviewed = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events"))!.Single();
        var old = await Eventually.GetValueAsync<JsonElement>(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-channels"))!.Single(c => c.GetProperty("id").GetInt64() == bad) is var c && c.GetProperty("dead").GetInt64() == 1 ? c : null,
            Timeout,
            "the wrong token's delivery to be dead-lettered");
        var audit = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/audit?limit=50"))!;

        Assert.Equal("sendPhoto", photo.Method);
        Assert.True(Jpeg.SequenceEqual(photo.Photo ?? []), string.Join(", ", photo.Fields.Select(f => $"{f.Key}={f.Value[..Math.Min(80, f.Value.Length)]}")));
        Assert.Equal("4242", photo.Fields["chat_id"]);
        Assert.Contains("Yard", photo.Fields["caption"], StringComparison.Ordinal);
        Assert.Contains($"#{eventId}", photo.Fields["caption"], StringComparison.Ordinal);
        Assert.Contains($"ack:{eventId}", photo.Fields["reply_markup"], StringComparison.Ordinal);
        Assert.Contains($"flag:{eventId}", photo.Fields["reply_markup"], StringComparison.Ordinal);
        Assert.Single(telegram.Sent);
        var answers = telegram.Calls.Where(c => c.Method == "answerCallbackQuery").Select(c => c.Fields["text"]).ToList();
        Assert.Equal(["This button is not one of this channel's.", $"Acknowledged #{eventId}", $"Flagged #{eventId}"], answers);
        Assert.True(reviewed.GetProperty("acknowledged").GetBoolean());
        Assert.True(reviewed.GetProperty("flagged").GetBoolean());
        Assert.Contains("401", old.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains(audit, e => e.GetProperty("actor").GetString() == "telegram:farmer" && e.GetProperty("via").GetString() == "telegram" && e.GetProperty("action").GetString() == "acknowledge");
    }

    [Fact]
    public async Task Cooldown_OnePerCameraPerWindow_AndTestSendOutsideTheRules()
    {
        await using var server = await InProcessServer.StartAsync(FastRetries);
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Calm", kinds = new[] { "motion" }, channels = new[] { channel }, cooldownSeconds = 600 });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        var start = DateTimeOffset.UtcNow.AddMinutes(-3);

        await node.SendBatchAsync(
            NodeSessionClient.Event(1, "yard-1", start),
            NodeSessionClient.Event(2, "yard-2", start.AddMinutes(1)),
            NodeSessionClient.Event(3, "gate-1", start.AddMinutes(1), camera: "gate"),
            NodeSessionClient.Event(4, "yard-3", start.AddMinutes(2)));
        await Eventually.TrueAsync(() => receiver.Hooks.Count >= 2, Timeout, "two webhooks");
        using var test = await server.Http.PostAsync($"/api/notification-channels/{channel}/test", null);
        var result = await test.Content.ReadFromJsonAsync<JsonElement>();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var events = receiver.Hooks.Select(h => JsonDocument.Parse(h.Body).RootElement).ToList();
        Assert.Equal(["event", "event", "test"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["yard", "gate"], events.Take(2).Select(e => e.GetProperty("event").GetProperty("camera").GetString()));
        Assert.True(result.GetProperty("sent").GetBoolean());
    }

    [Fact]
    public async Task Pacing_ChannelMinInterval_MessagesSpacedApart_NoneLost()
    {
        await using var server = await InProcessServer.StartAsync(FastRetries);
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Slow hook", kind = "webhook", settings = new { url = receiver.Url, minIntervalSeconds = 1 } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "All", channels = new[] { channel } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));

        await node.SendBatchAsync(Enumerable.Range(1, 3).Select(i => NodeSessionClient.Event((ulong)i, $"yard-{i}", DateTimeOffset.UtcNow.AddSeconds(-10 + i))).ToArray());
        await Eventually.TrueAsync(() => receiver.Hooks.Count >= 3, Timeout, "three webhooks");

        var at = receiver.Hooks.Select(h => h.At).ToList();
        Assert.All(at.Zip(at.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(0.9), $"{pair.Second - pair.First} between two messages"));
    }

    [Fact]
    public async Task Retention_FinishedDeliveriesPastTheYearGo_PendingStay_NothingIsSentAgain()
    {
        await using var server = await InProcessServer.StartAsync(FastRetries);
        using var receiver = new HookListener();
        var sent = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        var down = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Down", kind = "webhook", settings = new { url = $"http://127.0.0.1:{FreePort.Next()}/hook/" } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "All", channels = new[] { sent, down } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => !receiver.Hooks.IsEmpty, Timeout, "the webhook");
        async Task<(long Sent, long Pending)> CountsAsync(long id) =>
            (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-channels"))!.Single(c => c.GetProperty("id").GetInt64() == id) is var c
                ? (c.GetProperty("sent").GetInt64() + c.GetProperty("dead").GetInt64(), c.GetProperty("pending").GetInt64())
                : default;

        // Today's pass keeps this year's deliveries; a pass a year and a day on (the cutoff moved past them) removes the finished one.
        await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);
        var kept = await CountsAsync(sent);
        var removed = await server.Services.GetRequiredService<DeliveryStore>().DeleteFinishedBeforeAsync(DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal((1L, 0L), kept);
        Assert.Equal(1, removed);
        Assert.Equal((0L, 0L), await CountsAsync(sent));
        Assert.Equal((0L, 1L), await CountsAsync(down));
        Assert.Single(receiver.Hooks);
    }
}
