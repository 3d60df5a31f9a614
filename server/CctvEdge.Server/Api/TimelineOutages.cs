using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>Which outages a timeline row shades: its camera's own, and every node-wide one of its node (a node down sees nothing).</summary>
internal static class TimelineOutages
{
    public static IReadOnlyList<TimelineOutage> For(IEnumerable<OutageRow> outages, CameraKey camera) =>
        outages
            .Where(o => o.NodeId == camera.NodeId && (o.CameraId == camera.CameraId || o.CameraId.Length == 0))
            .OrderBy(o => o.StartMs)
            .ThenBy(o => o.Id)
            .Select(o => new TimelineOutage(
                o.Id,
                DateTimeOffset.FromUnixTimeMilliseconds(o.StartMs),
                o.EndMs is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
                o.Reason,
                WholeNode: o.CameraId.Length == 0))
            .ToList();
}
