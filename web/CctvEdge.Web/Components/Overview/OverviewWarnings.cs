using CctvEdge.Web.Components.Shared;
using CctvEdge.Web.Services;

namespace CctvEdge.Web.Components.Overview;

/// <summary>One thing that needs attention, in the overview's warning list.</summary>
internal sealed record Warning(string Kind, string Text);

/// <summary>What the overview warns about: offline nodes, cameras that do not run, disks that are nearly full.</summary>
internal static class OverviewWarnings
{
    public static IReadOnlyList<Warning> For(OverviewModel model)
    {
        var warnings = new List<Warning>();
        foreach (var node in model.Nodes)
        {
            if (!node.Online)
            {
                warnings.Add(new Warning("node-offline", $"Node {node.Name} is offline (last seen {Format.Ago(node.LastSeen, model.ServerTime)})."));
                continue;
            }

            foreach (var camera in node.Cameras.Where(c => c.State is "failed" or "stopped"))
            {
                warnings.Add(new Warning("camera-down", $"Camera {camera.Name} on {node.Name} is {camera.State}{(camera.Error.Length > 0 ? ": " + camera.Error : ".")}"));
            }

            if (NodeDisk(node) is { Low: true } disk)
            {
                warnings.Add(new Warning("disk-low", $"Node {node.Name}'s disk is nearly full: {Format.Bytes(disk.FreeBytes)} free of {Format.Bytes(disk.TotalBytes)}."));
            }
        }

        foreach (var disk in (model.ServerDisks ?? []).Where(d => d.Low))
        {
            warnings.Add(new Warning("disk-low", $"The {disk.Name} disk is nearly full: {Format.Bytes(disk.FreeBytes)} free of {Format.Bytes(disk.TotalBytes)}."));
        }

        return warnings;
    }

    /// <summary>The node's disk from its heartbeats, once it has sent one.</summary>
    public static DiskView? NodeDisk(NodeView node) =>
        node is { DiskFreeBytes: { } free, DiskTotalBytes: { } total } && total > 0 ? new DiskView(node.Name, free, total) : null;
}
