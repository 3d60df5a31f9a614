using System.Net.Http.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Notifications.Mqtt;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>
/// What the MQTT bridge leaves on a real mosquitto across changes and restarts: a removed camera's discovery configs
/// and states deleted (empty retained messages), and sensor readings resumed from the saved watermark.
/// </summary>
public sealed class MqttRetainedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Discovery_CameraRemoved_TopicsClearedWithEmptyRetained_AlsoWhenRemovedWhileTheServerWasDown()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await broker.WatchAsync();
        using var data = new TempDirectory("cctvedge-mqtt");
        await using (var server = await InProcessServer.StartAsync("--data", data.Path))
        {
            await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel(broker));
            using (var node = new NodeSessionClient(server.Client))
            {
                await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate", "shed"));
                await Eventually.TrueAsync(() => new[] { "yard", "gate", "shed" }.All(c => watcher.Latest(MotionConfig(c))?.Payload.Length > 0), Timeout, "the three cameras' configs");
            }

            using (var again = new NodeSessionClient(server.Client))
            {
                await again.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "shed"));
                await Eventually.TrueAsync(() => watcher.Latest(MotionConfig("gate"))?.Payload.Length == 0, Timeout, "the removed gate camera's motion config deleted");
                await Eventually.TrueAsync(() => watcher.Latest("homeassistant/image/cctvedge_barn/gate_snapshot/config")?.Payload.Length == 0, Timeout, "its image config deleted");
                await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/gate/motion")?.Payload.Length == 0, Timeout, "its motion state deleted");
                Assert.NotEmpty(watcher.Latest(MotionConfig("yard"))!.Payload);
                Assert.NotEmpty(watcher.Latest(MotionConfig("shed"))!.Payload);
            }

            // While the server is down the shed camera goes: only the store remembers its topics are on the broker.
            await server.StopAsync();
            var removed = await server.Services.GetRequiredService<ServerDatabase>().WriteAsync(
                (connection, transaction) => connection.ExecuteAsync("UPDATE cameras SET state = 'removed' WHERE node_id = 'barn' AND id = 'shed'", transaction: transaction),
                CancellationToken.None);
            Assert.Equal(1, removed);
        }

        await using (var server = await InProcessServer.StartAsync("--data", data.Path))
        {
            await Eventually.TrueAsync(() => watcher.Latest(MotionConfig("shed"))?.Payload.Length == 0, Timeout, "the shed's config deleted by the restarted server");
        }

        // A new subscriber (Home Assistant starting) is given yard's config and nothing of the removed cameras.
        await using var late = await broker.WatchAsync();
        await Eventually.TrueAsync(() => late.Latest(MotionConfig("yard")) is not null, Timeout, "yard's retained config");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(late.Latest(MotionConfig("gate")));
        Assert.Null(late.Latest(MotionConfig("shed")));
        Assert.NotEmpty(late.Latest(MotionConfig("yard"))!.Payload);
    }

    [Fact]
    public async Task Readings_Restart_ResumesFromTheSavedWatermark_AQuietSeriesKeepsItsValueAndConfig()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await broker.WatchAsync();
        using var data = new TempDirectory("cctvedge-mqtt");
        const string magnitudeConfig = "homeassistant/sensor/cctvedge_barn/yard_motion_magnitude/config";
        await using (var server = await InProcessServer.StartAsync("--data", data.Path))
        {
            await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel(broker));
            using var node = new NodeSessionClient(server.Client);
            await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
            await node.SendBatchAsync(NodeSessionClient.Measurement(1, 3.5));
            await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/sensor/motion_magnitude")?.Text == "3.5", Timeout, "the reading");

            // More rows of another series than a first run looks back over: the magnitude is older than all of them.
            var database = server.Services.GetRequiredService<ServerDatabase>();
            await database.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync(
                    """
                    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20100)
                    INSERT INTO measurements (node_id, camera_id, plugin_id, name, at_ms, value, unit) SELECT 'barn', 'yard', 'motion', 'noise', 1000 + x, x, '' FROM n
                    """,
                    transaction: transaction),
                CancellationToken.None);
            await using var connection = await database.OpenAsync(CancellationToken.None);
            var last = await connection.ExecuteScalarAsync<long>("SELECT MAX(rowid) FROM measurements");
            await Eventually.TrueAsync(
                async () => await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = 'mqtt.readings'") is { } saved
                    && System.Text.Json.JsonDocument.Parse(saved).RootElement.GetProperty("lastRowId").GetInt64() == last,
                Timeout,
                "the watermark saved past the new rows");
        }

        await using (var server = await InProcessServer.StartAsync("--data", data.Path))
        {
            var fleet = await ActivatorUtilities.CreateInstance<MqttFleet>(server.Services).ReadAsync(CancellationToken.None);
            Assert.Contains(fleet.Readings, r => (r.CameraId, r.Name, r.Value) == ("yard", "motion.magnitude", 3.5));

            using var node = new NodeSessionClient(server.Client);
            await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
            var noise = NodeSessionClient.Measurement(5, 42);
            noise.Measurement.Name = "noise";
            await node.SendBatchAsync(noise);
            await Eventually.TrueAsync(() => watcher.Latest("cctvedge/barn/yard/sensor/noise")?.Text == "42", Timeout, "a reading after the restart");
        }

        Assert.DoesNotContain(watcher.On(magnitudeConfig), m => m.Payload.Length == 0);
        Assert.DoesNotContain(watcher.On("cctvedge/barn/yard/sensor/motion_magnitude"), m => m.Payload.Length == 0);
    }

    [Fact]
    public async Task Discovery_TurnedOff_ConfigsDeleted_StatesKept()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await broker.WatchAsync();
        await using var server = await InProcessServer.StartAsync();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel(broker));
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await Eventually.TrueAsync(() => watcher.Latest(MotionConfig("yard"))?.Payload.Length > 0, Timeout, "yard's config");

        using var response = await server.Http.PutAsJsonAsync($"/api/notification-channels/{channel}", new
        {
            name = "Home Assistant",
            kind = "mqtt",
            settings = new { host = "127.0.0.1", port = broker.Port, username = MosquittoBroker.User, homeAssistant = "false" },
        });
        response.EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => watcher.Latest(MotionConfig("yard"))?.Payload.Length == 0, Timeout, "yard's config deleted");
        await Eventually.TrueAsync(() => watcher.Latest("homeassistant/binary_sensor/cctvedge_barn/connected/config")?.Payload.Length == 0, Timeout, "the node's config deleted");

        Assert.Equal("OFF", watcher.Latest("cctvedge/barn/yard/motion")?.Text);
        Assert.Equal("online", watcher.Latest("cctvedge/barn/available")?.Text);
    }

    private static string MotionConfig(string camera) => $"homeassistant/binary_sensor/cctvedge_barn/{camera}_motion/config";

    private static object Channel(MosquittoBroker broker) => new
    {
        name = "Home Assistant",
        kind = "mqtt",
        settings = new { host = "127.0.0.1", port = broker.Port, username = MosquittoBroker.User, password = MosquittoBroker.Password },
    };
}
