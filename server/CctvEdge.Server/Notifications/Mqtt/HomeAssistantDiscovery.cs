using System.Text.Json;
using System.Text.RegularExpressions;

namespace CctvEdge.Server.Notifications.Mqtt;

/// <summary>
/// The topics the MQTT bridge keeps (all retained) and Home Assistant's MQTT discovery configs for them: per node a
/// connectivity sensor, per camera a motion binary sensor and an image of its last motion, per measurement series a
/// sensor. Each node and camera is a device; cameras hang off their node (<c>via_device</c>).
/// </summary>
internal static partial class HomeAssistantDiscovery
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string NodeAvailable(string prefix, string node) => $"{prefix}/{node}/available";

    public static string Motion(string prefix, string node, string camera) => $"{prefix}/{node}/{camera}/motion";

    public static string Snapshot(string prefix, string node, string camera) => $"{prefix}/{node}/{camera}/snapshot";

    public static string Reading(string prefix, FleetReading r) =>
        r.CameraId.Length == 0 ? $"{prefix}/{r.NodeId}/sensor/{SafeName(r.Name)}" : $"{prefix}/{r.NodeId}/{r.CameraId}/sensor/{SafeName(r.Name)}";

    /// <summary>A measurement's name as a topic level and an object id: what is not a letter, digit, '_' or '-' becomes '_'.</summary>
    public static string SafeName(string name) => Safe().Replace(name, "_");

    /// <summary>Every discovery config for the fleet: (topic, JSON).</summary>
    public static IEnumerable<(string Topic, string Payload)> Configs(string discovery, string prefix, FleetState fleet)
    {
        var names = fleet.Nodes.ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        foreach (var node in fleet.Nodes)
        {
            yield return Config(discovery, "binary_sensor", node.Id, "connected", new
            {
                name = "Connected",
                unique_id = $"cctvedge_{node.Id}_connected",
                state_topic = NodeAvailable(prefix, node.Id),
                payload_on = MqttBridge.Online,
                payload_off = MqttBridge.Offline,
                device_class = "connectivity",
                device = NodeDevice(node.Id, node.Name),
            });
        }

        foreach (var camera in fleet.Cameras)
        {
            var device = CameraDevice(camera.NodeId, camera.Id, camera.Name);
            yield return Config(discovery, "binary_sensor", camera.NodeId, camera.Id + "_motion", new
            {
                name = "Motion",
                unique_id = $"cctvedge_{camera.NodeId}_{camera.Id}_motion",
                state_topic = Motion(prefix, camera.NodeId, camera.Id),
                payload_on = MqttBridge.On,
                payload_off = MqttBridge.Off,
                device_class = "motion",
                availability_topic = NodeAvailable(prefix, camera.NodeId),
                device,
            });
            yield return Config(discovery, "image", camera.NodeId, camera.Id + "_snapshot", new
            {
                name = "Last motion",
                unique_id = $"cctvedge_{camera.NodeId}_{camera.Id}_snapshot",
                image_topic = Snapshot(prefix, camera.NodeId, camera.Id),
                content_type = "image/jpeg",
                device,
            });
        }

        foreach (var reading in fleet.Readings)
        {
            var objectId = (reading.CameraId.Length == 0 ? "" : reading.CameraId + "_") + SafeName(reading.Name);
            yield return Config(discovery, "sensor", reading.NodeId, objectId, new
            {
                name = reading.Name,
                unique_id = $"cctvedge_{reading.NodeId}_{objectId}",
                state_topic = Reading(prefix, reading),
                unit_of_measurement = reading.Unit.Length > 0 ? reading.Unit : null,
                state_class = "measurement",
                availability_topic = NodeAvailable(prefix, reading.NodeId),
                device = reading.CameraId.Length == 0
                    ? NodeDevice(reading.NodeId, names.GetValueOrDefault(reading.NodeId, reading.NodeId))
                    : CameraDevice(reading.NodeId, reading.CameraId, fleet.Cameras.FirstOrDefault(c => c.NodeId == reading.NodeId && c.Id == reading.CameraId)?.Name ?? reading.CameraId),
            });
        }
    }

    private static (string, string) Config(string discovery, string component, string node, string objectId, object config) =>
        ($"{discovery}/{component}/cctvedge_{node}/{objectId}/config", JsonSerializer.Serialize(config, Json));

    private static object NodeDevice(string node, string name) =>
        new { identifiers = new[] { $"cctvedge_{node}" }, name, manufacturer = "CctvEdge", model = "Node agent" };

    private static object CameraDevice(string node, string camera, string name) =>
        new { identifiers = new[] { $"cctvedge_{node}_{camera}" }, name, manufacturer = "CctvEdge", model = "Camera", via_device = $"cctvedge_{node}" };

    /// <summary>Home Assistant's object ids take letters, digits, '_' and '-'.</summary>
    [GeneratedRegex("[^A-Za-z0-9_-]", RegexOptions.CultureInvariant)]
    private static partial Regex Safe();
}
