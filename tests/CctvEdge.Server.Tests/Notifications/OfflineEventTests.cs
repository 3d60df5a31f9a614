using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Nodes and cameras that go offline for longer than OfflineMinutes raise offline events, and online ones when back, once each.</summary>
public sealed class OfflineEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Offline after 1.2 s, checked every 0.2 s.
    private static readonly string[] Fast =
        ["--Notifications:OfflineMinutes", "0.02", "--Notifications:OfflineCheckSeconds", "0.2", "--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2"];

    [Fact]
    public async Task Node_DisconnectedThenBack_OneOfflineAndOneOnlineMessage_OfflineEventClosed()
    {
        await using var server = await InProcessServer.StartAsync(Fast);
        using var receiver = await WatchAsync(server);
        var first = new NodeSessionClient(server.Client);
        await first.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await first.SendAsync(Heartbeat(CameraState.Running));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var whileUp = receiver.Hooks.Count;

        first.Dispose();
        var offline = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.FirstOrDefault()), Timeout, "the offline message");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var onlyOne = receiver.Hooks.Count;
        using var again = new NodeSessionClient(server.Client);
        await again.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await again.SendAsync(Heartbeat(CameraState.Running));
        await Eventually.TrueAsync(() => receiver.Hooks.Count >= 2, Timeout, "the online message");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var events = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events"))!;

        Assert.Equal(0, whileUp);
        Assert.Equal(1, onlyOne);
        Assert.Equal(["offline", "online"], receiver.Hooks.Select(h => h.Json.GetProperty("event").GetProperty("kind").GetString()));
        Assert.All(receiver.Hooks, h => Assert.Equal("", h.Json.GetProperty("event").GetProperty("camera").GetString()));
        Assert.StartsWith("Offline · Barn\n", offline.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Barn has not been connected since", offline.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        var closed = Assert.Single(events, e => e.GetProperty("kind").GetString() == "offline");
        Assert.NotEqual(JsonValueKind.Null, closed.GetProperty("end").ValueKind);
    }

    [Fact]
    public async Task Camera_FailingThenRunning_OfflineThenOnline_TheOtherCameraSilent()
    {
        await using var server = await InProcessServer.StartAsync(Fast);
        using var receiver = await WatchAsync(server);
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        await node.SendAsync(Heartbeat(CameraState.Failed, "rtsp://10.0.0.9: connection refused", gate: CameraState.Running));

        var offline = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.FirstOrDefault()), Timeout, "the camera's offline message");
        await node.SendAsync(Heartbeat(CameraState.Running, gate: CameraState.Running));
        await Eventually.TrueAsync(() => receiver.Hooks.Count >= 2, Timeout, "the camera's online message");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var events = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events"))!;

        Assert.Equal(2, receiver.Hooks.Count);
        Assert.Equal(("offline", "yard"), (offline.Json.GetProperty("event").GetProperty("kind").GetString(), offline.Json.GetProperty("event").GetProperty("camera").GetString()));
        Assert.Contains("Camera YARD is failed: rtsp://10.0.0.9: connection refused", offline.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("online", receiver.Hooks.Last().Json.GetProperty("event").GetProperty("kind").GetString());
        var stored = Assert.Single(events, e => e.GetProperty("kind").GetString() == "offline");
        Assert.Equal("yard", stored.GetProperty("cameraId").GetString());
    }

    /// <summary>A webhook channel and a rule sending offline and online events to it.</summary>
    private static async Task<HookListener> WatchAsync(InProcessServer server)
    {
        var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Outages", kinds = new[] { "offline", "online" }, channels = new[] { channel }, cooldownSeconds = 0 });
        return receiver;
    }

    private static NodeMessage Heartbeat(CameraState yard, string error = "", CameraState? gate = null)
    {
        var heartbeat = new Heartbeat { Cameras = { new CameraStatus { CameraId = "yard", State = yard, Error = error } } };
        if (gate is { } state)
        {
            heartbeat.Cameras.Add(new CameraStatus { CameraId = "gate", State = state });
        }

        return new NodeMessage { Heartbeat = heartbeat };
    }
}
