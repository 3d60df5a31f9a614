using System.Text.Json;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Metrics;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Storage;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Sends the delivery outbox: each due delivery through its channel's sender, then marks it sent; a failure is
/// retried with exponential backoff (and holds the rest of that channel's queue until then, so one dead receiver
/// neither hammers nor delays the others) and becomes dead after <see cref="NotificationOptions.MaxAttempts"/>.
/// Channels are paced to their kind's rate (Telegram: one message a second per chat).
/// </summary>
internal sealed partial class DeliveryDispatcher(
    DeliveryStore deliveries,
    ChannelStore channels,
    ChannelSecrets secrets,
    IEnumerable<INotificationSender> senders,
    MediaStore media,
    ServerMetrics metrics,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    Leadership leadership,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, INotificationSender> _senders = senders.ToDictionary(s => s.Kind, StringComparer.Ordinal);
    private readonly Dictionary<long, DateTimeOffset> _heldUntil = [];
    private readonly AsyncSignal _wake = new();

    /// <summary>New deliveries were queued: look now rather than at the next poll.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Sends one channel's test message now, outside the outbox; null when it went, else why not.</summary>
    public async Task<string?> SendTestAsync(long channelId, CancellationToken cancellationToken)
    {
        var row = await channels.FindAsync(channelId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return $"There is no channel #{channelId}.";
        }

        var (_, error) = await SendAsync(secrets.Config(row), new NotificationMessage { IsTest = true, RuleName = "test" }, cancellationToken).ConfigureAwait(false);
        await channels.RecordAsync(channelId, error, cancellationToken).ConfigureAwait(false);
        return error;
    }

    // Leader only: one replica sends the outbox, so a delivery goes out once and a channel's pace holds. A test message
    // (SendTestAsync) is sent by whichever replica the admin's request reached.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunWhileLeadingAsync(LeadAsync, stoppingToken);

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                var next = await deliveries.NextDueAsync(stoppingToken).ConfigureAwait(false);
                var wait = next is { } at ? Clamp(at - clock.GetUtcNow()) : Idle;
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                await Task.Delay(Idle, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass over the due deliveries; returns how many were sent.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var configs = new Dictionary<long, ChannelConfig>();
        foreach (var work in await deliveries.DueAsync(200, cancellationToken).ConfigureAwait(false))
        {
            var now = clock.GetUtcNow();
            if (_heldUntil.TryGetValue(work.ChannelId, out var held) && held > now)
            {
                await deliveries.PostponeAsync(work.Id, held, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!configs.TryGetValue(work.ChannelId, out var channel))
            {
                var row = await channels.FindAsync(work.ChannelId, cancellationToken).ConfigureAwait(false);
                if (row is null)
                {
                    continue; // Deleted since: its deliveries went with it.
                }

                channel = configs[work.ChannelId] = secrets.Config(row);
            }

            var picture = _senders.TryGetValue(channel.Kind, out var sender) && sender.SendsPicture;
            var (answer, error) = await SendAsync(channel, await MessageAsync(work, picture, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var pace = ChannelKinds.All.TryGetValue(channel.Kind, out var kind) ? kind.Pace(channel.Get("minIntervalSeconds")) : TimeSpan.Zero;
            if (error is null)
            {
                await deliveries.MarkSentAsync(work.Id, work.ChannelId, answer ?? "", cancellationToken).ConfigureAwait(false);
                metrics.Delivery(channel.Name, sent: true, dead: false);
                _heldUntil[work.ChannelId] = clock.GetUtcNow() + pace;
                sent++;
            }
            else
            {
                var attempts = work.Attempts + 1;
                var retry = attempts >= options.CurrentValue.MaxAttempts ? (DateTimeOffset?)null : clock.GetUtcNow() + Backoff(attempts);
                await deliveries.MarkFailedAsync(work.Id, work.ChannelId, error, retry, cancellationToken).ConfigureAwait(false);
                metrics.Delivery(channel.Name, sent: false, dead: retry is null);
                _heldUntil[work.ChannelId] = retry ?? clock.GetUtcNow() + pace;
                LogSendFailed(logger, work.Id, channel.Name, attempts, retry is null ? "dead letter" : $"retry at {retry:O}", error);
            }
        }

        return sent;
    }

    /// <summary>base · 2^(attempt-1), at most an hour.</summary>
    internal TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, options.CurrentValue.RetryBaseSeconds * Math.Pow(2, Math.Min(attempts - 1, 20))));

    /// <summary>The channel's answer when the message went, or why it did not.</summary>
    private async Task<(string? Answer, string? Error)> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(channel.Kind, out var sender))
        {
            return (null, $"This server cannot send through {channel.Kind} channels.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            return (await sender.SendAsync(channel, message, timeout.Token).ConfigureAwait(false), null);
        }
        catch (NotificationSendException ex)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {SendTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The delivery's message; the camera's snapshot is read from disk only for a channel that sends it.</summary>
    private async Task<NotificationMessage> MessageAsync(DeliveryWork work, bool picture, CancellationToken cancellationToken) => new()
    {
        DeliveryId = work.Id,
        Attempt = work.Attempts + 1,
        RuleName = work.RuleName,
        EventId = work.EventId,
        NodeId = work.NodeId,
        NodeName = work.NodeName,
        CameraId = work.CameraId,
        CameraName = work.CameraName,
        Kind = work.Kind,
        Start = DateTimeOffset.FromUnixTimeMilliseconds(work.StartMs),
        End = work.EndMs is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
        Peak = work.Peak,
        Zones = JsonSerializer.Deserialize<string[]>(work.ZonesJson) ?? [],
        Labels = Rules.EventLabels.Read(work.PayloadJson, work.AnalysisJson),
        Detail = NotificationMessage.ReasonOf(work.PayloadJson),
        Jpeg = picture && work.CameraId.Length > 0 ? await ReadSnapshotAsync(work, cancellationToken).ConfigureAwait(false) : null,
    };

    private async Task<byte[]?> ReadSnapshotAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        var path = media.SnapshotPath(work.NodeId, work.CameraId);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait > Idle ? Idle : wait;

    [LoggerMessage(EventId = 81, Level = LogLevel.Error, Message = "Sending notifications failed; trying again in 5 s.")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} through channel {Channel} failed (attempt {Attempts}, {Next}): {Error}")]
    private static partial void LogSendFailed(ILogger logger, long deliveryId, string channel, int attempts, string next, string error);
}
