using System.Globalization;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Notifications.Trends;

/// <summary>
/// Day-over-day rules (S2: "this camera recorded 25 % more motion today than yesterday"): every
/// <see cref="NotificationOptions.TrendCheckMinutes"/>, each such rule's cameras are compared, today from local midnight
/// to now against yesterday over the same hours, by the time of the rule's kinds of events (motion when it names none),
/// and a camera past the rule's percentage gets one <c>motion-trend</c> (<c>detection-trend</c> …) event that day, sent
/// to the rule's channels. Yesterday needs at least <see cref="NotificationOptions.TrendMinimumSeconds"/> of those
/// events, so one second yesterday and ten today is not "900 % more".
/// </summary>
internal sealed class DayOverDayWatcher(
    RuleStore rules,
    NodeStore nodes,
    DayOverDayStore store,
    DeliveryDispatcher dispatcher,
    ChangeFeed changes,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    Leadership leadership,
    ILogger<DayOverDayWatcher> logger) : PeriodicService(clock, leadership, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.CurrentValue.TrendCheckMinutes);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>One comparison of every day-over-day rule's cameras; returns how many trend events it raised.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var trending = (await rules.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Enabled && r.DayOverDay is not null).ToList();
        if (trending.Count == 0)
        {
            return 0;
        }

        var now = Clock.GetUtcNow();
        var (todayFrom, yesterdayFrom, yesterdayTo) = DayOverDay.Windows(now);
        var day = LocalDay.Of(now);
        var cameras = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.State is not ("removed" or "deactivated")).ToList();
        var raised = 0;
        foreach (var rule in trending)
        {
            var kinds = DayOverDay.KindsOf(rule);
            var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.Local);
            if ((rule.Schedule is { } schedule && !schedule.Covers(local)) || (rule.QuietHours is { } quiet && quiet.Covers(local)))
            {
                continue;
            }

            foreach (var camera in cameras.Where(c => rule.Cameras.Count == 0 || rule.Cameras.Contains($"{c.NodeId}.{c.Id}", StringComparer.Ordinal)))
            {
                var today = await store.EventSecondsAsync(camera.NodeId, camera.Id, kinds, todayFrom, now, cancellationToken).ConfigureAwait(false);
                var yesterday = await store.EventSecondsAsync(camera.NodeId, camera.Id, kinds, yesterdayFrom, yesterdayTo, cancellationToken).ConfigureAwait(false);
                if (DayOverDay.Increase(today, yesterday, options.CurrentValue.TrendMinimumSeconds) is not { } increase || increase <= rule.DayOverDay!.Percent)
                {
                    continue;
                }

                var reason = string.Create(CultureInfo.InvariantCulture, $"{camera.Name} recorded {increase:0} % more {DayOverDay.Words(kinds)} today ({Duration(today)}) than yesterday by this time ({Duration(yesterday)}).");
                if (await store.RaiseAsync(rule.Id, rule.Name, rule.Channels, camera.NodeId, camera.Id, DayOverDay.TrendKind(kinds), day, increase, reason, cancellationToken).ConfigureAwait(false))
                {
                    raised++;
                    changes.Publish(new LiveChange(LiveChangeKind.Event, camera.NodeId, camera.Id));
                }
            }
        }

        if (raised > 0)
        {
            dispatcher.Wake();
        }

        return raised;
    }

    private static string Duration(double seconds) =>
        seconds >= 90 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min") : string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s");
}
