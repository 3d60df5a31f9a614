using CctvEdge.Protocol.V1;
using CctvEdge.Server.Api;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Live;

/// <summary>The live grid over the node and event stores; follow requests go down the nodes' sessions.</summary>
internal sealed class LiveGrid(NodeStore nodes, EventQueries events, CameraGroupStore groups, SessionRegistry sessions, TimeProvider clock) : ILiveGrid
{
    public async Task<IReadOnlyList<LiveTile>> GetTilesAsync(string? site, string? group, TimeSpan recent, CancellationToken cancellationToken)
    {
        var members = group is null ? null : await MembersAsync(group, cancellationToken).ConfigureAwait(false);
        var nodeRows = (await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => site is null || n.Site == site).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var cameraRows = await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false);
        var since = (clock.GetUtcNow() - recent).ToUnixTimeMilliseconds();
        var latest = (await events.LatestPerCameraAsync(since, cancellationToken).ConfigureAwait(false)).ToDictionary(e => (e.NodeId, e.CameraId));
        return cameraRows
            .Where(c => nodeRows.ContainsKey(c.NodeId) && (members is null || members.ContainsKey(new CameraKey(c.NodeId, c.Id))))
            .Select(c =>
            {
                var node = nodeRows[c.NodeId];
                var last = latest.GetValueOrDefault((c.NodeId, c.Id));
                return new LiveTile(
                    new CameraKey(c.NodeId, c.Id),
                    c.Name,
                    node.Name,
                    node.Site,
                    sessions.IsConnected(c.NodeId),
                    c.State,
                    OverviewQuery.SnapshotUrl(c),
                    c.SnapshotMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
                    last is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(last.StartMs),
                    last?.Kind);
            })
            .OrderBy(t => members?[t.Camera] ?? 0)
            .ThenBy(t => t.NodeName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>A group's cameras with their places in it; none for a group that does not exist (deleted since the link was made).</summary>
    private async Task<Dictionary<CameraKey, int>> MembersAsync(string group, CancellationToken cancellationToken)
    {
        var found = (await CameraGroupApi.ListAsync(groups, cancellationToken).ConfigureAwait(false)).FirstOrDefault(g => string.Equals(g.Name, group, StringComparison.OrdinalIgnoreCase));
        return (found?.Cameras ?? []).Select((camera, place) => (camera, place)).ToDictionary(m => m.camera, m => m.place);
    }

    public int Follow(IEnumerable<CameraKey> cameras)
    {
        var asked = 0;
        foreach (var camera in cameras)
        {
            var command = new Command
            {
                CommandId = Guid.NewGuid().ToString("N"),
                RequestSnapshot = new RequestSnapshot { CameraId = camera.CameraId, FollowSeconds = (uint)ILiveGrid.FollowFor.TotalSeconds },
            };
            if (sessions.TrySend(camera.NodeId, new ServerMessage { Command = command }))
            {
                asked++;
            }
        }

        return asked;
    }
}
