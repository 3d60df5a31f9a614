using System.Text.Json;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Timelapse;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>Builds the overview's view models from the store; "online" comes from the live sessions, not the database.</summary>
internal sealed class OverviewQuery(NodeStore nodes, EventStore events, EventQueries queries, ClipQueries clips, ServerDisks disks, SessionRegistry sessions, TimeProvider clock) : IOverviewQuery
{
    public async Task<OverviewModel> GetOverviewAsync(int latestEvents, CancellationToken cancellationToken)
    {
        var nodeRows = await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var cameraRows = await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false);
        var eventRows = await events.LatestAsync(latestEvents, null, cancellationToken).ConfigureAwait(false);
        var camerasByNode = cameraRows.ToLookup(c => c.NodeId);
        var timelapses = (await clips.LatestOfReasonAsync(TimelapseBuilder.Reason, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => new CameraRef(c.NodeId, c.CameraId), Timelapse);
        var views = nodeRows.Select(n => ToView(n, camerasByNode[n.Id], timelapses)).ToList();
        var unacknowledged = await queries.CountUnacknowledgedAsync(cancellationToken).ConfigureAwait(false);
        return new OverviewModel(views, eventRows.Select(ToView).ToList(), clock.GetUtcNow(), unacknowledged, disks.Read());
    }

    public static EventView ToView(EventRow e) => new(
        e.Id,
        e.NodeId,
        e.CameraId,
        e.CameraName,
        e.Kind,
        DateTimeOffset.FromUnixTimeMilliseconds(e.StartMs),
        e.EndMs is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
        e.Peak,
        JsonSerializer.Deserialize<List<string>>(e.ZonesJson) ?? [],
        e.ClipId is null ? null : $"/media/clips/{e.ClipId}.mp4",
        e.ClipState,
        e.ThumbnailId is { } thumbnail ? $"/media/files/{thumbnail}" : null,
        e.EventId,
        e.PluginId,
        e.Acknowledged,
        e.Flagged)
    {
        Labels = DetectionLabels.OfEvent(e.PayloadJson, e.AnalysisJson),
        Boxes = DetectionLabels.Boxes(e.BoxesJson, e.AnalysisJson),
    };

    private static TimelapseView Timelapse(ClipListRow c) => new(
        c.Id,
        DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
        c.ThumbnailId is { } thumbnail ? $"/media/files/{thumbnail}" : null);

    private NodeView ToView(NodeRow n, IEnumerable<CameraRow> cameras, Dictionary<CameraRef, TimelapseView> timelapses)
    {
        var plugins = PluginRecord.ListFrom(n.PluginsJson).Concat(PluginRecord.ListFrom(n.InstancesJson))
            .Select(p => new PluginView(p.Id, p.CameraId, p.Version, p.State, p.Error, p.Errors, p.FramesDropped))
            .ToList();
        return new NodeView(
            n.Id,
            n.Name,
            sessions.IsConnected(n.Id),
            DateTimeOffset.FromUnixTimeMilliseconds(n.LastSeenMs),
            n.AgentVersion,
            n.CpuPercent,
            n.MemoryBytes,
            n.DiskFreeBytes,
            n.DiskTotalBytes,
            n.PendingResults,
            n.LostResults,
            new NodeUploads(n.PendingClips, n.PendingClipBytes, n.LostClips, n.UploadError, UploadPolicyViews.From(n.UploadPolicyJson)),
            cameras.Select(c => ToView(c) with { LatestTimelapse = timelapses.GetValueOrDefault(new CameraRef(c.NodeId, c.Id)) }).ToList(),
            plugins,
            n.Site);
    }

    private static CameraView ToView(CameraRow c) => new(
        c.NodeId,
        c.Id,
        c.Name,
        c.SourceKind,
        c.State,
        c.Error,
        c.Fps,
        c.SnapshotMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        SnapshotUrl(c));

    /// <summary>The camera's latest snapshot, with its time in the URL so a browser fetches each new one once.</summary>
    public static string? SnapshotUrl(CameraRow c) => c.SnapshotMs is { } version ? $"/media/snapshots/{c.NodeId}/{c.Id}.jpg?v={version}" : null;
}
