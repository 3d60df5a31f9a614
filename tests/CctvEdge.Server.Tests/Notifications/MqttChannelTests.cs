using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>The MQTT channel against Debian's mosquitto: events once at QoS 1, Home Assistant discovery and states that follow the fleet.</summary>
public sealed class MqttChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] FastRetries = ["--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2"];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 5, 4, 3, 0xFF, 0xD9];

    [Fact]
    public async Task Mqtt_EventOnce_MotionOnThenOff_PictureReadingAndDiscovery_NodeGoesOffline()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await broker.WatchAsync();
        await using var server = await InProcessServer.StartAsync(FastRetries);
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Home Assistant", broker, MosquittoBroker.Password));
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Motion", kinds = new[] { "motion" }, channels = new[] { channel } });
        var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendAsync(new NodeMessage { Heartbeat = new Heartbeat { Cameras = { new CameraStatus { CameraId = "yard", State = CameraState.Running } } } });
        await node.SendAsync(NodeSessionClient.Snapshot("yard", Jpeg));
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/motion")?.Text == "OFF", Timeout, "the camera's motion sensor, off");

        var start = DateTimeOffset.UtcNow;
        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", start), NodeSessionClient.Measurement(2, 3.5));
        var published = await Eventually.GetAsync(() => Task.FromResult(watcher.Latest("cctvedge/events")), Timeout, "the event on cctvedge/events");
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/motion")?.Text == "ON", Timeout, "motion ON");
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/sensor/motion_magnitude")?.Text == "3.5", Timeout, "the reading");
        await node.SendBatchAsync(NodeSessionClient.Event(3, "yard-1", start, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/motion")?.Text == "OFF", Timeout, "motion OFF once the event ends");
        node.Dispose();
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/available")?.Text == "offline", Timeout, "the node offline");
        var listed = await NotificationApi.ChannelAsync(server, channel);

        Assert.Single(watcher.On("cctvedge/events"));
        var payload = JsonDocument.Parse(published.Payload).RootElement;
        Assert.Equal(("event", "yard", "motion"), (payload.GetProperty("type").GetString(), payload.GetProperty("event").GetProperty("camera").GetString(), payload.GetProperty("event").GetProperty("kind").GetString()));
        Assert.Equal(Jpeg, watcher.Latest("cctvedge/barn/yard/snapshot")!.Payload);
        Assert.Equal("online", watcher.Latest("cctvedge/available")!.Text);
        var motion = JsonDocument.Parse(watcher.Latest("homeassistant/binary_sensor/cctvedge_barn/yard_motion/config")!.Payload).RootElement;
        Assert.Equal(("motion", "cctvedge/barn/yard/motion", "cctvedge/barn/available"), (motion.GetProperty("device_class").GetString(), motion.GetProperty("state_topic").GetString(), motion.GetProperty("availability_topic").GetString()));
        Assert.Equal("cctvedge_barn", motion.GetProperty("device").GetProperty("via_device").GetString());
        var image = JsonDocument.Parse(watcher.Latest("homeassistant/image/cctvedge_barn/yard_snapshot/config")!.Payload).RootElement;
        Assert.Equal("cctvedge/barn/yard/snapshot", image.GetProperty("image_topic").GetString());
        var sensor = JsonDocument.Parse(watcher.Latest("homeassistant/sensor/cctvedge_barn/yard_motion_magnitude/config")!.Payload).RootElement;
        Assert.Equal(("%", "cctvedge/barn/yard/sensor/motion_magnitude"), (sensor.GetProperty("unit_of_measurement").GetString(), sensor.GetProperty("state_topic").GetString()));
        var connected = JsonDocument.Parse(watcher.Latest("homeassistant/binary_sensor/cctvedge_barn/connected/config")!.Payload).RootElement;
        Assert.Equal("connectivity", connected.GetProperty("device_class").GetString());
        Assert.Equal(1, listed.GetProperty("sent").GetInt64());
        Assert.DoesNotContain(MosquittoBroker.Password, listed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mqtt_BrokerDownThenBack_EventDeliveredOnce_StateRepublished_WrongPasswordRefused()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        // The first retry comes 5 s after the failed try: long after the broker is back and the watcher listens.
        await using var server = await InProcessServer.StartAsync("--Notifications:RetryBaseSeconds", "5", "--Notifications:IntervalSeconds", "0.2");
        var good = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Broker", broker, MosquittoBroker.Password));
        var wrong = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Wrong password", broker, "not-the-password"));
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "All", channels = new[] { good } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        var refused = await NotificationApi.TestAsync(server, wrong);

        await broker.StopAsync();
        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow));
        // The state bridge may report the absent broker before the event's delivery exists: wait for both.
        var waiting = await Eventually.GetValueAsync<long>(
            async () => await NotificationApi.ChannelAsync(server, good) is var channel
                && channel.GetProperty("lastError").GetString()!.Contains("could not be reached", StringComparison.Ordinal)
                && channel.GetProperty("pending").GetInt64() is > 0 and var pending
                    ? pending
                    : null,
            Timeout,
            "the broker's absence on the channel, with the event waiting");
        await broker.StartAgainAsync();
        await using var watcher = await broker.WatchAsync();
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/events") is not null, Timeout, "the event once the broker is back");
        await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/available")?.Text == "online", Timeout, "the node's state published again to the restarted broker");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await NotificationApi.ChannelAsync(server, good);

        Assert.Contains("refused the connection", refused, StringComparison.Ordinal);
        Assert.Contains("NotAuthorized", refused, StringComparison.Ordinal);
        Assert.Equal(1, waiting);
        Assert.Single(watcher.On("cctvedge/events"));
        Assert.Equal((1L, 0L), (after.GetProperty("sent").GetInt64(), after.GetProperty("pending").GetInt64()));
    }

    private static object Channel(string name, MosquittoBroker broker, string password) => new
    {
        name,
        kind = "mqtt",
        settings = new { host = "127.0.0.1", port = broker.Port, username = MosquittoBroker.User, password },
    };
}
