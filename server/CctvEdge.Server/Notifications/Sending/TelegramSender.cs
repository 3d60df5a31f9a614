using System.Globalization;
using CctvEdge.Server.Notifications.Channels;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Sends the camera's picture with the caption and two buttons, Acknowledge and Flag, through the Bot API (or a
/// self-hosted Bot API server at <c>apiBaseUrl</c>); <see cref="TelegramCallbacks"/> reads the buttons back.
/// </summary>
internal sealed class TelegramSender(IHttpClientFactory http) : INotificationSender
{
    public const string AcknowledgeData = "ack:";
    public const string FlagData = "flag:";

    /// <summary>Yes: the photo is the message.</summary>
    public bool SendsPicture => true;

    public string Kind => ChannelKinds.Telegram;

    public async Task<string> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var bot = Client(channel, http);
        var chat = Chat(channel);
        var caption = message.Caption(TimeZoneInfo.Local);
        var buttons = message.IsTest
            ? null
            : new InlineKeyboardMarkup(
                InlineKeyboardButton.WithCallbackData("Acknowledge", AcknowledgeData + message.EventId.ToString(CultureInfo.InvariantCulture)),
                InlineKeyboardButton.WithCallbackData("Flag", FlagData + message.EventId.ToString(CultureInfo.InvariantCulture)));
        try
        {
            Message sent;
            if (message.Jpeg is { } jpeg)
            {
                using var photo = new MemoryStream(jpeg, writable: false);
                sent = await bot.SendPhoto(chat, InputFile.FromStream(photo, "event.jpg"), caption, replyMarkup: buttons, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                sent = await bot.SendMessage(chat, caption, replyMarkup: buttons, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return sent.MessageId.ToString(CultureInfo.InvariantCulture);
        }
        catch (RequestException ex)
        {
            throw new NotificationSendException(Describe(ex), ex);
        }
    }

    /// <summary>What went wrong talking to the Bot API, with Telegram's code when it answered (401: a wrong token).</summary>
    internal static string Describe(RequestException ex) =>
        ex is ApiRequestException refused ? $"Telegram refused: {refused.ErrorCode} {refused.Message}" : $"Telegram could not be reached: {ex.Message}";

    /// <summary>A client for the channel's bot, on the channel's Bot API server.</summary>
    internal static TelegramBotClient Client(ChannelConfig channel, IHttpClientFactory http) =>
        new(new TelegramBotClientOptions(channel.Get("botToken")!, channel.Get("apiBaseUrl")), http.CreateClient(nameof(TelegramSender)));

    internal static ChatId Chat(ChannelConfig channel) =>
        long.TryParse(channel.Get("chatId"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(channel.Get("chatId")!);
}
