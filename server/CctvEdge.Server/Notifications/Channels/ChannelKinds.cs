using System.Text.RegularExpressions;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>One setting of a channel kind: its check returns what is wrong with a value, or null; label and hint are the settings page's.</summary>
internal sealed record ChannelSetting(string Name, bool Required, bool Secret, Func<string, string?> Check, string Label, string Hint = "");

/// <summary>A kind of channel: its settings and how often it may send (Telegram allows about one message a second per chat).</summary>
internal sealed record ChannelKind(string Name, IReadOnlyList<ChannelSetting> Settings, TimeSpan MinInterval);

/// <summary>The channel kinds this server can send through.</summary>
internal static partial class ChannelKinds
{
    public const string Telegram = "telegram";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyDictionary<string, ChannelKind> All = new Dictionary<string, ChannelKind>(StringComparer.Ordinal)
    {
        [Telegram] = new(Telegram,
        [
            new("botToken", Required: true, Secret: true, v => BotToken().IsMatch(v) ? null : "must be a bot token as @BotFather gives it (digits, a colon, then letters, digits, '-' and '_').", "Bot token", "From @BotFather, e.g. 123456:ABC-DEF…"),
            new("chatId", Required: true, Secret: false, v => ChatId().IsMatch(v) ? null : "must be a chat id (a number, negative for groups) or @channelname.", "Chat id", "A number (negative for a group) or @channelname"),
            new("apiBaseUrl", Required: false, Secret: false, HttpUrl, "Bot API server", "Only for a self-hosted Bot API server; empty for api.telegram.org"),
        ], TimeSpan.FromSeconds(1)),
        [Webhook] = new(Webhook,
        [
            new("url", Required: true, Secret: false, HttpUrl, "URL", "Receives a POST of JSON for every event"),
            new("secret", Required: false, Secret: true, v => v.Length is >= 16 and <= 256 ? null : "must be 16 to 256 characters: it signs every request (X-CctvEdge-Signature).", "Signing secret", "16 or more characters; requests carry X-CctvEdge-Signature"),
        ], TimeSpan.Zero),
    };

    private static string? HttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && value.Length <= 500
            ? null
            : $"must be an http:// or https:// address (was '{value}').";

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();

    [GeneratedRegex("^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,63})$", RegexOptions.CultureInvariant)]
    private static partial Regex ChatId();
}
