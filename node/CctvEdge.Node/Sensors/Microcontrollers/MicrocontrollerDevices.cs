using System.Collections.Concurrent;
using System.Text.Json;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Storage;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>
/// The boards that post to the node: those in <c>Sensors</c> with <c>"Plugin": "microcontroller"</c> (settings: an
/// optional <c>Token</c> and the <c>Outputs</c> the board fetches), and, with <c>Microcontroller:AcceptUnknown</c>,
/// any other board by the id it sends. Their readings go through the outbox like every sensor's. Outputs the server
/// set (<see cref="SetOutputsAsync"/>) are kept in <c>DataDirectory/device-outputs.json</c> and outrank the config's.
/// </summary>
internal sealed class MicrocontrollerDevices(
    IOptions<SensorsOptions> sensors,
    IOptions<MicrocontrollerOptions> options,
    IOptions<NodeOptions> node,
    IResultOutbox outbox,
    TimeProvider clock)
{
    /// <summary>The built-in "plugin" id of a microcontroller sensor: served by the node itself, not a plugin folder.</summary>
    public const string PluginId = "microcontroller";

    public const string TokenKey = "Token";
    public const string OutputsKey = "Outputs";

    private readonly string _savedOutputs = Path.Combine(node.Value.ResolvedDataDirectory, "device-outputs.json");
    private readonly SemaphoreSlim _saving = new(1, 1);
    private ConcurrentDictionary<string, MicrocontrollerDevice>? _devices;

    private ConcurrentDictionary<string, MicrocontrollerDevice> Devices => LazyInitializer.EnsureInitialized(ref _devices, Load);

    /// <summary>The device a post names, or null when it is unknown and unknown devices are refused.</summary>
    public MicrocontrollerDevice? Find(string id)
    {
        if (Devices.TryGetValue(id, out var device))
        {
            return device;
        }

        return options.Value.AcceptUnknown && Identifier.IsValid(id)
            ? Devices.GetOrAdd(id, key => new MicrocontrollerDevice(key, key, "", "", new Dictionary<string, string>(), Publisher(key, "", outbox, clock)))
            : null;
    }

    /// <summary>
    /// Replaces what a board should set and keeps it on disk before answering; null when done, else why not (the sensor
    /// is not a board of this node).
    /// </summary>
    public async Task<string?> SetOutputsAsync(string id, IReadOnlyDictionary<string, string> outputs, CancellationToken cancellationToken)
    {
        if (!Devices.TryGetValue(id, out var device))
        {
            return $"'{id}' is not a microcontroller of this node (Sensors with \"Plugin\": \"microcontroller\", or a board it has heard from).";
        }

        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Devices[id] = device with { Outputs = new Dictionary<string, string>(outputs, StringComparer.Ordinal) };
            var saved = Devices.Values.Where(d => d.Outputs.Count > 0).ToDictionary(d => d.Id, d => d.Outputs);
            await DurableFile.WriteAsync(_savedOutputs, JsonSerializer.SerializeToUtf8Bytes(saved), cancellationToken).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>Every device known so far, for hello and heartbeats.</summary>
    public IEnumerable<SensorInfo> Infos() => Devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d =>
    {
        var info = new SensorInfo { Id = d.Id, Name = d.Name, PluginId = PluginId, CameraId = d.CameraId, Kind = PluginId, State = PluginState.Running };
        if (d.Publisher.LastReadingAt is { } last)
        {
            info.LastReadAt = Timestamp.FromDateTimeOffset(last);
        }

        return info;
    });

    private ConcurrentDictionary<string, MicrocontrollerDevice> Load()
    {
        var saved = File.Exists(_savedOutputs)
            ? JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllBytes(_savedOutputs)) ?? []
            : [];
        var devices = sensors.Value.Items
            .Where(s => s.Enabled && string.Equals(s.Plugin, PluginId, StringComparison.OrdinalIgnoreCase))
            .Select(s => new MicrocontrollerDevice(s.Id, s.DisplayName, s.Camera, s.Settings?[TokenKey] ?? "", saved.GetValueOrDefault(s.Id) ?? Outputs(s), Publisher(s.Id, s.Camera, outbox, clock)));
        return new ConcurrentDictionary<string, MicrocontrollerDevice>(devices.Select(d => KeyValuePair.Create(d.Id, d)), StringComparer.Ordinal);
    }

    private static SensorResultPublisher Publisher(string id, string camera, IResultOutbox outbox, TimeProvider clock) => new(id, camera, PluginId, outbox, clock);

    private static Dictionary<string, string> Outputs(SensorOptions sensor) =>
        sensor.Settings?.GetSection(OutputsKey).GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal) ?? [];
}

/// <summary>One board: who it is, the token it must present (empty: none), what it should set its outputs to.</summary>
internal sealed record MicrocontrollerDevice(string Id, string Name, string CameraId, string Token, IReadOnlyDictionary<string, string> Outputs, SensorResultPublisher Publisher);
