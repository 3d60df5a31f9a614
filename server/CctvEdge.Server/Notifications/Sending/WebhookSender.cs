using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Server.Notifications.Channels;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// POSTs the event as JSON (the payload is documented in the README). With a secret, <c>X-CctvEdge-Signature:
/// sha256=HEX</c> is the HMAC-SHA256 of the exact body, so a receiver can tell it came from this server;
/// <c>X-CctvEdge-Delivery</c> lets it drop the rare repeat (a crash between its answer and our record of it).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory http) : INotificationSender
{
    public const string SignatureHeader = "X-CctvEdge-Signature";
    public const string DeliveryHeader = "X-CctvEdge-Delivery";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>No: the payload names the snapshot's path instead.</summary>
    public bool SendsPicture => false;

    public string Kind => ChannelKinds.Webhook;

    public async Task<string> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(Payload(message), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Get("url")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(DeliveryHeader, message.DeliveryId.ToString(CultureInfo.InvariantCulture));
        if (channel.Get("secret") is { } secret)
        {
            request.Headers.Add(SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }

        try
        {
            using var response = await http.CreateClient(nameof(WebhookSender)).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                : throw new NotificationSendException($"{channel.Get("url")} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationSendException($"{channel.Get("url")} could not be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationSendException($"{channel.Get("url")} did not answer in time.", ex);
        }
    }

    /// <summary>The documented payload: <c>type</c> event or test, the delivery, the rule and the event.</summary>
    internal static object Payload(NotificationMessage m) => new
    {
        type = m.IsTest ? "test" : "event",
        delivery = m.DeliveryId,
        attempt = m.Attempt,
        rule = m.RuleName,
        text = m.Caption(TimeZoneInfo.Local),
        @event = m.IsTest ? null : new
        {
            id = m.EventId,
            node = m.NodeId,
            nodeName = m.NodeName,
            camera = m.CameraId,
            cameraName = m.CameraName,
            kind = m.Kind,
            start = m.Start,
            end = m.End,
            peak = m.Peak,
            zones = m.Zones,
            labels = m.Labels,
            detail = m.Detail,
            snapshot = m.CameraId.Length == 0 ? null : $"/media/snapshots/{m.NodeId}/{m.CameraId}.jpg",
        },
    };
}
