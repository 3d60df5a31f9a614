using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Server.Tests;

/// <summary>A node with sensors over a real session, as the node agent sends them: hello, heartbeats, readings.</summary>
internal sealed class SensorNode : IDisposable
{
    private readonly NodeSessionClient _client;
    private ulong _sequence;

    private SensorNode(NodeSessionClient client) => _client = client;

    public static SensorInfo Bme(string id = "bme", string camera = "") => new() { Id = id, Name = "Barn air", PluginId = "sense", Kind = "bme280", CameraId = camera, State = PluginState.Running };

    public static SensorInfo Accel(string id = "gate-accel") => new() { Id = id, Name = "Gate", PluginId = "sense", Kind = "adxl345", CameraId = "yard", State = PluginState.Running };

    /// <summary>Connects node <paramref name="nodeId"/> (camera yard) with <paramref name="sensors"/>.</summary>
    public static async Task<SensorNode> ConnectAsync(InProcessServer server, string nodeId = "barn", params SensorInfo[] sensors)
    {
        var client = new NodeSessionClient(server.Client);
        var hello = NodeSessionClient.Hello(nodeId);
        hello.Sensors.AddRange(sensors.Length == 0 ? [Bme()] : sensors);
        await client.ConnectAsync(hello);
        return new SensorNode(client);
    }

    public Task<ulong> SendAsync(params Result[] results) => _client.SendBatchAsync(results);

    public Task HeartbeatAsync(params SensorInfo[] sensors)
    {
        var heartbeat = new Heartbeat();
        heartbeat.Sensors.AddRange(sensors);
        return _client.SendAsync(new NodeMessage { Heartbeat = heartbeat });
    }

    /// <summary>A reading of sensor <paramref name="sensor"/>, numbered after the ones before.</summary>
    public Result Reading(string name, double value, DateTimeOffset at, string unit = "°C", string sensor = "bme", string camera = "") =>
        Reading(++_sequence, name, value, at, unit, sensor, camera);

    public static Result Reading(ulong sequence, string name, double value, DateTimeOffset at, string unit = "°C", string sensor = "bme", string camera = "") => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = "sense",
        SensorId = sensor,
        ProducedAt = Timestamp.FromDateTimeOffset(at),
        Measurement = new Measurement { Name = name, Value = value, Unit = unit, At = Timestamp.FromDateTimeOffset(at) },
    };

    public void Dispose() => _client.Dispose();
}
