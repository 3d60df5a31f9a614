using System.Globalization;
using CctvEdge.Server.Api;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Reads the Acknowledge and Flag buttons of every Telegram channel by long polling (no inbound port, so a farm
/// server behind NAT works) and applies them as the web app's buttons do: the event changes, open pages see it, the
/// audit log says who in Telegram did it. Only presses from the channel's own chat count.
/// </summary>
internal sealed partial class TelegramCallbacks(
    ChannelStore channels,
    ChannelSecrets secrets,
    ReviewStore reviews,
    AuditStore audit,
    ChangeFeed changes,
    IHttpClientFactory http,
    Leadership leadership,
    ILogger<TelegramCallbacks> logger) : BackgroundService
{
    private const int PollSeconds = 25;
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(5);
    private readonly Dictionary<long, (string Key, CancellationTokenSource Stop, Task Poll)> _pollers = [];

    // Leader only: Telegram answers a second long poll of one bot with 409 Conflict, and a press must be applied once.
    // Losing leadership cancels the pollers (the finally below); the next leader starts its own.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunWhileLeadingAsync(LeadAsync, stoppingToken);

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ScanAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScanFailed(logger, ex);
                }

                await Task.Delay(Rescan, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var poller in _pollers.Values)
            {
                await poller.Stop.CancelAsync().ConfigureAwait(false);
                await poller.Poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                poller.Stop.Dispose();
            }
        }
    }

    /// <summary>One poller per Telegram channel; a changed token, chat or server restarts it, a deleted channel stops it.</summary>
    private async Task ScanAsync(CancellationToken stoppingToken)
    {
        var wanted = (await channels.ListAsync(stoppingToken).ConfigureAwait(false))
            .Where(c => c.Kind == ChannelKinds.Telegram)
            .Select(secrets.Config)
            .ToDictionary(c => c.Id, c => (Config: c, Key: $"{c.Get("botToken")}|{c.Get("chatId")}|{c.Get("apiBaseUrl")}"));
        foreach (var (id, poller) in _pollers.Where(p => !wanted.TryGetValue(p.Key, out var w) || w.Key != p.Value.Key).ToList())
        {
            await poller.Stop.CancelAsync().ConfigureAwait(false);
            await poller.Poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            poller.Stop.Dispose();
            _pollers.Remove(id);
        }

        foreach (var (id, (config, key)) in wanted.Where(w => !_pollers.ContainsKey(w.Key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _pollers[id] = (key, stop, PollAsync(config, stop.Token));
        }
    }

    private async Task PollAsync(ChannelConfig channel, CancellationToken stop)
    {
        var bot = TelegramSender.Client(channel, http);
        int? offset = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var updates = await bot.GetUpdates(offset, 100, PollSeconds, [UpdateType.CallbackQuery], stop).ConfigureAwait(false);
                foreach (var update in updates)
                {
                    offset = update.Id + 1;
                    if (update.CallbackQuery is { } press)
                    {
                        await HandleAsync(bot, channel, press, stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var error = ex is Telegram.Bot.Exceptions.RequestException request ? TelegramSender.Describe(request) : ex.Message;
                LogPollFailed(logger, channel.Name, error);
                await channels.RecordAsync(channel.Id, $"Reading the buttons failed: {error}", CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(5), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task HandleAsync(TelegramBotClient bot, ChannelConfig channel, CallbackQuery press, CancellationToken stop)
    {
        var chat = TelegramSender.Chat(channel);
        var fromChannel = press.Message?.Chat is { } c && (chat.Identifier is { } id ? c.Id == id : string.Equals("@" + c.Username, chat.Username, StringComparison.OrdinalIgnoreCase));
        var (flag, eventId) = Parse(press.Data);
        string answer;
        if (!fromChannel || eventId is null)
        {
            answer = "This button is not one of this channel's.";
        }
        else
        {
            var by = "telegram:" + (press.From.Username ?? press.From.Id.ToString(CultureInfo.InvariantCulture));
            long[] ids = [eventId.Value];
            var changed = await ReviewActions.ApplyAsync(changes, flag ? reviews.FlagAsync(ids, true, stop) : reviews.AcknowledgeAsync(ids, true, by, stop)).ConfigureAwait(false);
            await audit.AddAsync(by, "telegram", flag ? "flag" : "acknowledge", $"events {eventId}", $"{changed} changed", "", stop).ConfigureAwait(false);
            answer = changed > 0 ? $"{(flag ? "Flagged" : "Acknowledged")} #{eventId}" : $"#{eventId} was already {(flag ? "flagged" : "acknowledged")} or is gone.";
        }

        await bot.AnswerCallbackQuery(press.Id, answer, cancellationToken: stop).ConfigureAwait(false);
    }

    private static (bool Flag, long? EventId) Parse(string? data) =>
        data switch
        {
            not null when data.StartsWith(TelegramSender.AcknowledgeData, StringComparison.Ordinal) && long.TryParse(data.AsSpan(TelegramSender.AcknowledgeData.Length), CultureInfo.InvariantCulture, out var id) => (false, id),
            not null when data.StartsWith(TelegramSender.FlagData, StringComparison.Ordinal) && long.TryParse(data.AsSpan(TelegramSender.FlagData.Length), CultureInfo.InvariantCulture, out var id) => (true, id),
            _ => (false, null),
        };

    [LoggerMessage(EventId = 83, Level = LogLevel.Error, Message = "Looking for Telegram channels failed.")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 84, Level = LogLevel.Warning, Message = "Reading Telegram buttons for channel {Channel} failed: {Error}; trying again in 5 s.")]
    private static partial void LogPollFailed(ILogger logger, string channel, string error);
}
