using System.Text.Json;
using CctvEdge.Server.Notifications.Channels;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Publishes each event a rule sends to an MQTT channel on <c>{prefix}/events</c>: the webhook's JSON payload, at
/// QoS 1, counted as sent once the broker acknowledges it. Camera and node state for Home Assistant is the
/// <see cref="Mqtt.MqttBridge"/>'s, on the same connection.
/// </summary>
internal sealed class MqttSender(MqttConnections connections) : INotificationSender
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => ChannelKinds.Mqtt;

    /// <summary>No: the bridge keeps each camera's last motion picture on its own retained topic.</summary>
    public bool SendsPicture => false;

    public async Task<string> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var topic = MqttConnections.Prefix(channel) + "/events";
        await connections.PublishAsync(channel, topic, JsonSerializer.SerializeToUtf8Bytes(WebhookSender.Payload(message), Json), retain: false, cancellationToken).ConfigureAwait(false);
        return "acknowledged on " + topic;
    }
}
