using System.Globalization;
using System.Text.RegularExpressions;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>One setting of a channel kind: its check returns what is wrong with a value, or null; label and hint are the settings page's.</summary>
internal sealed record ChannelSetting(string Name, bool Required, bool Secret, Func<string, string?> Check, string Label, string Hint = "");

/// <summary>A kind of channel: its settings and how often it may send (Telegram allows about one message a second per chat).</summary>
internal sealed record ChannelKind(string Name, IReadOnlyList<ChannelSetting> Settings, TimeSpan MinInterval)
{
    /// <summary>The wait between two messages of a channel: its own <c>minIntervalSeconds</c>, never below the kind's.</summary>
    public TimeSpan Pace(string? minIntervalSeconds) =>
        double.TryParse(minIntervalSeconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && TimeSpan.FromSeconds(seconds) > MinInterval
            ? TimeSpan.FromSeconds(seconds)
            : MinInterval;
}

/// <summary>The channel kinds this server can send through.</summary>
internal static partial class ChannelKinds
{
    public const string Telegram = "telegram";
    public const string Webhook = "webhook";
    public const string Email = "email";
    public const string Mqtt = "mqtt";

    /// <summary>Every kind's rate limit: a channel may send more slowly than its kind allows (an SMS gateway, a busy chat), never faster.</summary>
    private static readonly ChannelSetting Pacing = new(
        "minIntervalSeconds",
        Required: false,
        Secret: false,
        v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 3600 ? null : $"must be a number of seconds from 0 to 3600 (was '{v}').",
        "Minimum seconds between messages",
        "Empty for the kind's own: 1 for Telegram, none for the others");

    public static readonly IReadOnlyDictionary<string, ChannelKind> All = new Dictionary<string, ChannelKind>(StringComparer.Ordinal)
    {
        [Telegram] = new(Telegram,
        [
            new("botToken", Required: true, Secret: true, v => BotToken().IsMatch(v) ? null : "must be a bot token as @BotFather gives it (digits, a colon, then letters, digits, '-' and '_').", "Bot token", "From @BotFather, e.g. 123456:ABC-DEF…"),
            new("chatId", Required: true, Secret: false, v => ChatId().IsMatch(v) ? null : "must be a chat id (a number, negative for groups) or @channelname.", "Chat id", "A number (negative for a group) or @channelname"),
            new("apiBaseUrl", Required: false, Secret: false, HttpUrl, "Bot API server", "Only for a self-hosted Bot API server; empty for api.telegram.org"),
            Pacing,
        ], TimeSpan.FromSeconds(1)),
        [Webhook] = new(Webhook,
        [
            new("url", Required: true, Secret: false, HttpUrl, "URL", "Receives a POST of JSON for every event"),
            new("secret", Required: false, Secret: true, v => v.Length is >= 16 and <= 256 ? null : "must be 16 to 256 characters: it signs every request (X-CctvEdge-Signature).", "Signing secret", "16 or more characters; requests carry X-CctvEdge-Signature"),
            Pacing,
        ], TimeSpan.Zero),
        [Email] = new(Email,
        [
            new("host", Required: true, Secret: false, Host, "SMTP server", "e.g. smtp.example.com"),
            new("port", Required: false, Secret: false, Port, "Port", "Empty for the security's usual port: 587, 465 or 25"),
            new("security", Required: false, Secret: false, v => EmailSecurity.Parse(v) is null ? "must be starttls, tls or none." : null, "Security", "starttls (default), tls, or none for a relay on the local network"),
            new("username", Required: false, Secret: false, Short, "User name", "Empty when the server needs no sign-in"),
            new("password", Required: false, Secret: true, Short, "Password"),
            new("from", Required: true, Secret: false, v => EmailAddresses.Problem(v, max: 1), "From", "e.g. cctv@farm.example"),
            new("to", Required: true, Secret: false, v => EmailAddresses.Problem(v, max: 20), "To", "One or more addresses, separated by commas"),
            new("certificateSha256", Required: false, Secret: false, Pin, "Trusted certificate (SHA-256)", "Only for a server with a self-signed certificate"),
            new("dailyReportAt", Required: false, Secret: false, v => TimeOnly.TryParseExact(v, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : $"must be a time of day, HH:mm (was '{v}').", "Daily report at", "HH:mm in the server's time zone; empty for no report"),
            Pacing,
        ], TimeSpan.Zero),
        [Mqtt] = new(Mqtt,
        [
            new("host", Required: true, Secret: false, Host, "Broker", "e.g. 192.168.1.10 or homeassistant.local"),
            new("port", Required: false, Secret: false, Port, "Port", "Empty for 1883, or 8883 with TLS"),
            new("security", Required: false, Secret: false, v => v is "none" or "tls" ? null : "must be none or tls.", "Security", "none (default) or tls"),
            new("username", Required: false, Secret: false, Short, "User name", "Empty when the broker allows anonymous clients"),
            new("password", Required: false, Secret: true, Short, "Password"),
            new("topicPrefix", Required: false, Secret: false, v => TopicPrefix().IsMatch(v) ? null : "must be letters, digits, '-', '_' and '/' (no wildcards), e.g. cctvedge.", "Topic prefix", "cctvedge (default)"),
            new("homeAssistant", Required: false, Secret: false, v => v is "true" or "false" ? null : "must be true or false.", "Home Assistant discovery", "true (default) or false"),
            new("discoveryPrefix", Required: false, Secret: false, v => TopicPrefix().IsMatch(v) ? null : "must be letters, digits, '-', '_' and '/'.", "Discovery prefix", "homeassistant (default)"),
            new("certificateSha256", Required: false, Secret: false, Pin, "Trusted certificate (SHA-256)", "Only for a broker with a self-signed certificate"),
            Pacing,
        ], TimeSpan.Zero),
    };

    private static string? Host(string value) => HostName().IsMatch(value) ? null : $"must be a host name or IP address (was '{value}').";

    private static string? Short(string value) => value.Length <= 200 ? null : "must be at most 200 characters.";

    private static string? Pin(string value) => CertificatePin().IsMatch(value) ? null : "must be the SHA-256 of the server's certificate, 64 hexadecimal digits.";

    private static string? Port(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? null : $"must be a port, 1 to 65535 (was '{value}').";

    private static string? HttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && value.Length <= 500
            ? null
            : $"must be an http:// or https:// address (was '{value}').";

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$|^\\[?[0-9A-Fa-f:.]{2,45}\\]?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicPrefix();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CertificatePin();

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();

    [GeneratedRegex("^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,63})$", RegexOptions.CultureInvariant)]
    private static partial Regex ChatId();
}
