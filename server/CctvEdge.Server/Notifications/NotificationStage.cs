using System.Diagnostics;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Metrics;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Notifications;

/// <summary>
/// The server-side stage that turns stored events of the configured kinds into the web app's notifications and, by
/// the notification rules, into deliveries for the sending channels. It runs when ingest reports new events (and
/// every few seconds in case it missed one); watermarks in the database make each event raise at most one
/// notification and one delivery per channel, across restarts.
/// </summary>
internal sealed partial class NotificationStage(
    NotificationStore store,
    DeliveryStore deliveries,
    DeliveryDispatcher dispatcher,
    ServerMetrics metrics,
    ChangeFeed changes,
    IOptionsMonitor<NotificationOptions> options,
    Leadership leadership,
    ILogger<NotificationStage> logger) : BackgroundService
{
    private readonly AsyncSignal _wake = new();

    // Leader only: of several replicas one raises notifications and queues deliveries. Events stored through another
    // replica do not wake it (the change feed is per server); the interval's poll finds them.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunWhileLeadingAsync(LeadAsync, stoppingToken);

    private async Task LeadAsync(CancellationToken stoppingToken)
    {
        using var subscription = changes.Subscribe(change =>
        {
            if (change.Kind == LiveChangeKind.Event)
            {
                _wake.Set();
            }
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await _wake.WaitAsync(TimeSpan.FromSeconds(options.CurrentValue.IntervalSeconds), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var raised = await store.RaiseNewAsync(options.CurrentValue.EffectiveKinds, cancellationToken).ConfigureAwait(false);
        if (raised > 0)
        {
            changes.Publish(new LiveChange(LiveChangeKind.Notification, "", null));
        }

        await JudgeAllAsync(deliveries.QueueNewAsync, cancellationToken).ConfigureAwait(false);

        // Events a processor labelled after they were judged (central detection) may match a rule with labels now.
        await JudgeAllAsync(deliveries.QueueLabelledAsync, cancellationToken).ConfigureAwait(false);

        // Events rules wait on (a minimum peak or duration not reached yet) are judged again as they grow.
        if (await deliveries.QueueWaitingAsync(TimeZoneInfo.Local, cancellationToken).ConfigureAwait(false) > 0)
        {
            dispatcher.Wake();
        }

        return raised;
    }

    private async Task JudgeAllAsync(Func<TimeZoneInfo, int, CancellationToken, Task<(int Events, int Queued, bool More)>> pass, CancellationToken cancellationToken)
    {
        bool more;
        do
        {
            var started = Stopwatch.GetTimestamp();
            (var events, var queued, more) = await pass(TimeZoneInfo.Local, 500, cancellationToken).ConfigureAwait(false);
            if (events > 0)
            {
                metrics.RulesApplied(events, Stopwatch.GetElapsedTime(started));
            }

            if (queued > 0)
            {
                dispatcher.Wake();
            }
        }
        while (more);
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Error, Message = "Raising notifications failed; retrying in 5 s.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
