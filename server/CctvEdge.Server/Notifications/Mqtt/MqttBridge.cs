using System.Globalization;
using System.Text;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Notifications.Mqtt;

/// <summary>
/// Keeps every MQTT channel's broker up to date, as Home Assistant users expect of a camera system: each node's
/// availability, each camera's motion (ON while a motion event is open) and the picture of its last motion, each
/// measurement series' latest value, and Home Assistant discovery configs for all of them. Everything is retained
/// and published only when it changed; a new connection (a broker restart, changed settings) publishes it all again.
/// The retained topics put on a broker are remembered in the store, so when a camera, node or series is gone (also
/// while the server was down) its topics get an empty retained message, which deletes them and, for discovery
/// configs, the entity in Home Assistant. Leader only (a <see cref="PeriodicService"/>): one replica keeps the brokers
/// and the remembered topics; one that stops leading closes its connections, and the next leader publishes it all again.
/// </summary>
internal sealed partial class MqttBridge(
    ChannelStore channels,
    ChannelSecrets secrets,
    MqttConnections connections,
    MqttFleet fleet,
    MqttCheckpoints checkpoints,
    MediaStore media,
    TimeProvider clock,
    Leadership leadership,
    ILogger<MqttBridge> logger) : PeriodicService(clock, leadership, logger)
{
    public const string Online = MqttConnections.Online;
    public const string Offline = MqttConnections.Offline;
    public const string On = "ON";
    public const string Off = "OFF";
    private readonly Dictionary<long, ChannelState> _states = [];
    private readonly ILogger _logger = logger;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task EndTermAsync()
    {
        foreach (var id in _states.Keys)
        {
            await connections.DropAsync(id).ConfigureAwait(false);
        }

        _states.Clear();
    }

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var mqtt = (await channels.ListAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Kind == ChannelKinds.Mqtt).ToList();
        foreach (var gone in _states.Keys.Except(mqtt.Select(c => c.Id)).ToList())
        {
            _states.Remove(gone);
            await connections.DropAsync(gone).ConfigureAwait(false);
            await checkpoints.ForgetTopicsAsync(gone, cancellationToken).ConfigureAwait(false);
        }

        if (mqtt.Count == 0)
        {
            return;
        }

        var state = await fleet.ReadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in mqtt)
        {
            var channel = secrets.Config(row);
            if (!_states.TryGetValue(row.Id, out var own))
            {
                own = _states[row.Id] = new ChannelState(await checkpoints.LoadTopicsAsync(row.Id, cancellationToken).ConfigureAwait(false));
            }

            if (own.RetryAt > Clock.GetUtcNow())
            {
                continue;
            }

            try
            {
                await PublishAsync(channel, own, state, cancellationToken).ConfigureAwait(false);
                own.Wait = TimeSpan.Zero;
                if (own.Error is not null)
                {
                    own.Error = null;
                    await channels.RecordAsync(row.Id, null, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (NotificationSendException ex)
            {
                // A broker that is away or refuses us is tried again after 1, 2, 4 … up to 60 s, not every second.
                own.Wait = TimeSpan.FromSeconds(Math.Clamp(own.Wait.TotalSeconds * 2, 1, 60));
                own.RetryAt = Clock.GetUtcNow() + own.Wait;
                // Shown on the channel once per change, not once a second while the broker is away.
                if (own.Error != ex.Message)
                {
                    own.Error = ex.Message;
                    await channels.RecordAsync(row.Id, ex.Message, cancellationToken).ConfigureAwait(false);
                    LogFailed(_logger, row.Name, ex.Message);
                }
            }
        }
    }

    private async Task PublishAsync(ChannelConfig channel, ChannelState own, FleetState state, CancellationToken cancellationToken)
    {
        var link = await connections.ConnectAsync(channel, cancellationToken).ConfigureAwait(false);
        if (own.Generation != link.Generation)
        {
            own.Reset(link.Generation);
        }

        var prefix = MqttConnections.Prefix(channel);
        var retained = new List<(string Topic, string Payload)>();
        if (channel.Get("homeAssistant") != "false")
        {
            retained.AddRange(HomeAssistantDiscovery.Configs(channel.Get("discoveryPrefix") ?? "homeassistant", prefix, state));
        }

        retained.AddRange(state.Nodes.Select(n => (HomeAssistantDiscovery.NodeAvailable(prefix, n.Id), n.Online ? Online : Offline)));
        retained.AddRange(state.Cameras.Select(c => (HomeAssistantDiscovery.Motion(prefix, c.NodeId, c.Id), c.Motion ? On : Off)));
        retained.AddRange(state.Readings.Select(r => (HomeAssistantDiscovery.Reading(prefix, r), r.Value.ToString("R", CultureInfo.InvariantCulture))));
        var current = retained.Select(r => r.Topic).Concat(state.Cameras.Select(c => HomeAssistantDiscovery.Snapshot(prefix, c.NodeId, c.Id))).ToHashSet(StringComparer.Ordinal);

        // Recorded before they are published: a crash in between must not leave topics on the broker we do not know of.
        if (!current.IsSubsetOf(own.Known))
        {
            own.Known.UnionWith(current);
            await checkpoints.SaveTopicsAsync(channel.Id, own.Known, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (topic, payload) in retained)
        {
            if (own.Published.TryGetValue(topic, out var sent) && sent == payload)
            {
                continue;
            }

            await connections.PublishAsync(channel, topic, Encoding.UTF8.GetBytes(payload), retain: true, cancellationToken).ConfigureAwait(false);
            own.Published[topic] = payload;
        }

        // The picture of a camera's last motion, taken when its motion begins; a camera counts as started once it went.
        var moving = state.Cameras.Where(c => c.Motion).Select(c => (c.NodeId, c.Id)).ToHashSet();
        foreach (var (node, camera) in moving.Where(key => !own.Moving.Contains(key)))
        {
            var path = media.SnapshotPath(node, camera);
            if (File.Exists(path))
            {
                var jpeg = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                await connections.PublishAsync(channel, HomeAssistantDiscovery.Snapshot(prefix, node, camera), jpeg, retain: true, cancellationToken).ConfigureAwait(false);
            }

            own.Moving.Add((node, camera));
        }

        own.Moving.IntersectWith(moving);

        var gone = own.Known.Where(t => !current.Contains(t)).ToList();
        if (gone.Count > 0)
        {
            foreach (var topic in gone)
            {
                await connections.PublishAsync(channel, topic, [], retain: true, cancellationToken).ConfigureAwait(false);
                own.Published.Remove(topic);
            }

            own.Known.ExceptWith(gone);
            await checkpoints.SaveTopicsAsync(channel.Id, own.Known, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 89, Level = LogLevel.Warning, Message = "MQTT channel {Channel}: {Error}")]
    private static partial void LogFailed(ILogger logger, string channel, string error);

    /// <summary>What one channel's broker was last given on its current connection.</summary>
    private sealed class ChannelState(HashSet<string> known)
    {
        /// <summary>Every retained topic this channel has put on a broker and not cleared, as saved in the store.</summary>
        public HashSet<string> Known { get; } = known;

        public int Generation { get; private set; }

        public Dictionary<string, string> Published { get; } = new(StringComparer.Ordinal);

        public HashSet<(string NodeId, string CameraId)> Moving { get; } = [];

        public string? Error { get; set; }

        public TimeSpan Wait { get; set; }

        public DateTimeOffset RetryAt { get; set; }

        public void Reset(int generation)
        {
            Generation = generation;
            Published.Clear();
            Moving.Clear();
        }
    }
}
