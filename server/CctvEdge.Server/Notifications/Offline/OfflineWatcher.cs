using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Notifications.Offline;

/// <summary>
/// Raises <c>offline</c> events for a node disconnected, or a camera failing or stuck starting on a connected node,
/// for more than <see cref="NotificationOptions.OfflineMinutes"/>, and <c>online</c> events when they are back.
/// A node's outage is counted from when this server started at the earliest, so restarting the server does not report
/// every node offline before they have had time to reconnect.
/// </summary>
internal sealed class OfflineWatcher(
    OfflineEventStore store,
    NodeStore nodes,
    SessionRegistry sessions,
    ChangeFeed changes,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    Leadership leadership,
    ILogger<OfflineWatcher> logger) : PeriodicService(clock, leadership, logger)
{
    private static readonly HashSet<string> DownStates = ["failed", "starting"];
    private static readonly HashSet<string> DeliberateStates = ["deactivated", "removed", "stopped"];
    private readonly DateTimeOffset _started = clock.GetUtcNow();
    private readonly Dictionary<(string NodeId, string CameraId), DateTimeOffset> _downSince = [];

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.OfflineCheckSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>One look at every node and camera; returns how many offline and online events it raised.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var after = TimeSpan.FromMinutes(options.CurrentValue.OfflineMinutes);
        if (after <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = Clock.GetUtcNow();
        var open = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var cameras = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).ToLookup(c => c.NodeId, StringComparer.Ordinal);
        var raised = 0;
        foreach (var node in await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!sessions.IsConnected(node.Id))
            {
                var lastSeen = DateTimeOffset.FromUnixTimeMilliseconds(node.LastSeenMs);
                if (!open.Contains((node.Id, "")) && now - Max(lastSeen, _started) >= after
                    && await store.RaiseOfflineAsync(node.Id, "", lastSeen, $"{Name(node)} has not been connected since {lastSeen:u}.", cancellationToken).ConfigureAwait(false))
                {
                    raised++;
                    changes.Publish(new LiveChange(LiveChangeKind.Event, node.Id, null));
                }

                continue;
            }

            if (open.Contains((node.Id, "")) && await store.CloseAsync(node.Id, "", quietly: false, cancellationToken).ConfigureAwait(false))
            {
                raised++;
                changes.Publish(new LiveChange(LiveChangeKind.Event, node.Id, null));
            }

            foreach (var camera in cameras[node.Id])
            {
                raised += await WatchCameraAsync(camera, open.Contains((node.Id, camera.Id)), now, after, cancellationToken).ConfigureAwait(false);
            }
        }

        return raised;
    }

    private async Task<int> WatchCameraAsync(CameraRow camera, bool isOpen, DateTimeOffset now, TimeSpan after, CancellationToken cancellationToken)
    {
        var key = (camera.NodeId, camera.Id);
        bool changed;
        if (DownStates.Contains(camera.State))
        {
            var since = _downSince.TryGetValue(key, out var known) ? known : _downSince[key] = now;
            var why = camera.Error.Length > 0 ? camera.Error : "no frames yet";
            changed = !isOpen && now - since >= after
                && await store.RaiseOfflineAsync(camera.NodeId, camera.Id, since, $"Camera {camera.Name} is {camera.State}: {why}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _downSince.Remove(key);
            changed = isOpen && await store.CloseAsync(camera.NodeId, camera.Id, quietly: DeliberateStates.Contains(camera.State), cancellationToken).ConfigureAwait(false);
        }

        if (changed)
        {
            changes.Publish(new LiveChange(LiveChangeKind.Event, camera.NodeId, camera.Id));
        }

        return changed ? 1 : 0;
    }

    private static string Name(NodeRow node) => node.Name.Length > 0 ? node.Name : node.Id;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
