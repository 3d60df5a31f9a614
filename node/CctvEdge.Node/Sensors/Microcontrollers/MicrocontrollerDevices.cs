using System.Collections.Concurrent;
using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>
/// The boards that post to the node: those in <c>Sensors</c> with <c>"Plugin": "microcontroller"</c> (settings: an
/// optional <c>Token</c> and the <c>Outputs</c> the board fetches), and, with <c>Microcontroller:AcceptUnknown</c>,
/// any other board by the id it sends. Their readings go through the outbox like every sensor's.
/// </summary>
internal sealed class MicrocontrollerDevices(IOptions<SensorsOptions> sensors, IOptions<MicrocontrollerOptions> options, IResultOutbox outbox, TimeProvider clock)
{
    /// <summary>The built-in "plugin" id of a microcontroller sensor: served by the node itself, not a plugin folder.</summary>
    public const string PluginId = "microcontroller";

    public const string TokenKey = "Token";
    public const string OutputsKey = "Outputs";

    private readonly ConcurrentDictionary<string, MicrocontrollerDevice> _devices = new(
        sensors.Value.Items
            .Where(s => s.Enabled && string.Equals(s.Plugin, PluginId, StringComparison.OrdinalIgnoreCase))
            .Select(s => KeyValuePair.Create(s.Id, new MicrocontrollerDevice(s.Id, s.DisplayName, s.Camera, s.Settings?[TokenKey] ?? "", Outputs(s), Publisher(s.Id, s.Camera, outbox, clock)))),
        StringComparer.Ordinal);

    /// <summary>The device a post names, or null when it is unknown and unknown devices are refused.</summary>
    public MicrocontrollerDevice? Find(string id)
    {
        if (_devices.TryGetValue(id, out var device))
        {
            return device;
        }

        return options.Value.AcceptUnknown && Identifier.IsValid(id)
            ? _devices.GetOrAdd(id, key => new MicrocontrollerDevice(key, key, "", "", new Dictionary<string, string>(), Publisher(key, "", outbox, clock)))
            : null;
    }

    /// <summary>Every device known so far, for hello and heartbeats.</summary>
    public IEnumerable<SensorInfo> Infos() => _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d =>
    {
        var info = new SensorInfo { Id = d.Id, Name = d.Name, PluginId = PluginId, CameraId = d.CameraId, Kind = PluginId, State = PluginState.Running };
        if (d.Publisher.LastReadingAt is { } last)
        {
            info.LastReadAt = Timestamp.FromDateTimeOffset(last);
        }

        return info;
    });

    private static SensorResultPublisher Publisher(string id, string camera, IResultOutbox outbox, TimeProvider clock) => new(id, camera, PluginId, outbox, clock);

    private static Dictionary<string, string> Outputs(SensorOptions sensor) =>
        sensor.Settings?.GetSection(OutputsKey).GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal) ?? [];
}

/// <summary>One board: who it is, the token it must present (empty: none), what it should set its outputs to.</summary>
internal sealed record MicrocontrollerDevice(string Id, string Name, string CameraId, string Token, IReadOnlyDictionary<string, string> Outputs, SensorResultPublisher Publisher);
