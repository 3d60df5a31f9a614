using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>A channel's configuration in clear, as a sender needs it.</summary>
internal sealed record ChannelConfig(long Id, string Name, string Kind, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Secrets)
{
    public string? Get(string name) => Settings.GetValueOrDefault(name) ?? Secrets.GetValueOrDefault(name);
}

/// <summary>What every channel says about one event (or a test): the same facts, laid out by each sender.</summary>
internal sealed record NotificationMessage
{
    public long DeliveryId { get; init; }
    public int Attempt { get; init; } = 1;
    public string RuleName { get; init; } = "";
    public long EventId { get; init; }
    public string NodeId { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string CameraName { get; init; } = "";
    public string Kind { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double Peak { get; init; }
    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary>What a detector saw in the event (its payload's <c>labels</c>); empty for most events.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Why, in words, for events that say (an outage's cause, lost data): the payload's <c>reason</c>; empty otherwise.</summary>
    public string Detail { get; init; } = "";

    /// <summary>The camera's latest snapshot when the message was sent; null when it has none or the channel sends no picture.</summary>
    public byte[]? Jpeg { get; init; }

    /// <summary>A "send test" from the API or the page, not an event.</summary>
    public bool IsTest { get; init; }

    /// <summary>The short id people quote back ("#123"), the event's id on the server.</summary>
    public string ShortId => IsTest ? "test" : "#" + EventId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The <c>reason</c> string of an event's JSON payload, at most 300 characters; empty when there is none.</summary>
    public static string ReasonOf(string payloadJson)
    {
        try
        {
            using var payload = JsonDocument.Parse(payloadJson.Length == 0 ? "{}" : payloadJson);
            return payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()![..Math.Min(300, reason.GetString()!.Length)]
                : "";
        }
        catch (JsonException)
        {
            // A plugin's payload is its own business; a caption without the reason is still a caption.
            return "";
        }
    }

    /// <summary>The caption: kind and camera, time in the server's zone, peak, zones and labels, the short id.</summary>
    public string Caption(TimeZoneInfo zone)
    {
        if (IsTest)
        {
            return "CctvEdge test message: this channel works.";
        }

        var text = new StringBuilder();
        // Events of a whole node (offline, online, lost data) have no camera.
        text.Append(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(Kind[0])}{Kind[1..]} · {(CameraId.Length == 0 ? NodeName : $"{CameraName} ({NodeName})")}\n");
        text.Append(TimeZoneInfo.ConvertTime(Start, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        if (Peak > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · peak {Peak:0.###}");
        }

        if (Zones.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · zones {string.Join(", ", Zones)}");
        }

        if (Labels.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · {string.Join(", ", Labels)}");
        }

        if (Detail.Length > 0)
        {
            text.Append('\n').Append(Detail);
        }

        text.Append(CultureInfo.InvariantCulture, $"\n{ShortId} · rule {RuleName}");
        return text.ToString();
    }
}

/// <summary>Sends through one kind of channel; throws <see cref="NotificationSendException"/> with a reason people can act on.</summary>
internal interface INotificationSender
{
    string Kind { get; }

    /// <summary>Whether messages carry the camera's picture (<see cref="NotificationMessage.Jpeg"/>); it is read from disk only then.</summary>
    bool SendsPicture { get; }

    /// <summary>Sends the message; returns the channel's id for it (a Telegram message id, an HTTP status) for the record.</summary>
    Task<string> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken);
}

/// <summary>A send that failed, with why (the receiver's answer, a refused token, a timeout).</summary>
internal sealed class NotificationSendException(string message, Exception? inner = null) : Exception(message, inner);
