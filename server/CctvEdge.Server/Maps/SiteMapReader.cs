using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Maps;

/// <summary>
/// Builds what the map page and <c>GET /api/maps</c> show: pins with their device's name and status. "Online" comes
/// from the live sessions, as on the overview, not from the database's last-seen time.
/// </summary>
internal sealed class SiteMapReader(SiteMapStore maps, NodeStore nodes, SensorQueries sensors, SessionRegistry sessions, TimeProvider clock)
{
    /// <summary>Device states that mean it is not delivering, whatever its node's link.</summary>
    private static readonly HashSet<string> DownStates = ["failed", "stopped", "deactivated", "disabled", "removed"];

    public async Task<IReadOnlyList<SiteMapSummary>> ListAsync(string? site, CancellationToken cancellationToken) =>
        (await maps.ListAsync(site, cancellationToken).ConfigureAwait(false)).Select(m => new SiteMapSummary(m.Id, m.Site, m.Name, ImageUrl(m), m.UpdatedBy, Time(m.UpdatedMs))).ToList();

    public async Task<SiteMapView?> GetAsync(long id, TimeSpan recent, CancellationToken cancellationToken)
    {
        if (await maps.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } map)
        {
            return null;
        }

        var devices = (await ReadDevicesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => (d.Device.Kind, d.Device.Node, d.Device.Device));
        var since = clock.GetUtcNow() - recent;
        var pins = (await maps.PinsWithLatestEventAsync(id, cancellationToken).ConfigureAwait(false)).Select(pin =>
        {
            // A device its node no longer reports keeps its place, named by its id and shown offline.
            var known = devices.TryGetValue((pin.Kind, pin.NodeId, pin.DeviceId), out var device);
            var lastEvent = pin.LatestStartMs is { } start ? Time(start) : (DateTimeOffset?)null;
            var up = known && sessions.IsConnected(pin.NodeId) && !DownStates.Contains(device.State);
            var status = !up ? MapPinStatus.Offline : lastEvent >= since ? MapPinStatus.Event : MapPinStatus.Online;
            var camera = pin.Kind == "camera" ? pin.DeviceId : device.LiveCamera;
            return new MapPinView(
                pin.Kind,
                pin.NodeId,
                pin.Kind == "camera" ? pin.DeviceId : null,
                pin.Kind == "sensor" ? pin.DeviceId : null,
                pin.X,
                pin.Y,
                device.Device?.Name ?? pin.DeviceId,
                status,
                lastEvent,
                pin.LatestEventId,
                string.IsNullOrEmpty(camera) ? null : $"live/{pin.NodeId}/{camera}");
        }).ToList();
        return new SiteMapView(map.Id, map.Site, map.Name, ImageUrl(map), pins, map.UpdatedBy, Time(map.UpdatedMs));
    }

    /// <summary>The cameras and sensors of <paramref name="site"/>'s nodes (every node's when null), cameras first.</summary>
    public async Task<IReadOnlyList<MapDevice>> DevicesAsync(string? site, CancellationToken cancellationToken) =>
        (await ReadDevicesAsync(cancellationToken).ConfigureAwait(false))
            .Where(d => d.State != "removed" && (site is null || d.Device.Site == site))
            .Select(d => d.Device)
            .ToList();

    /// <summary>Every camera and sensor with its state and the camera its live view shows (a sensor's linked camera, '' for none).</summary>
    private async Task<IEnumerable<(MapDevice Device, string State, string LiveCamera)>> ReadDevicesAsync(CancellationToken cancellationToken)
    {
        var sites = (await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id, n => n.Site);
        var cameras = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => (new MapDevice("camera", c.NodeId, c.Id, c.Name, sites.GetValueOrDefault(c.NodeId) ?? ""), c.State, c.Id));
        var sensorDevices = (await sensors.ListSensorsAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => (new MapDevice("sensor", s.NodeId, s.Id, s.Name, sites.GetValueOrDefault(s.NodeId) ?? ""), s.State, s.CameraId));
        return cameras.Concat(sensorDevices).ToList();
    }

    /// <summary>The plan's address, versioned by its upload time so a browser fetches a replaced plan once.</summary>
    private static string? ImageUrl(SiteMapRow map) => map.ImageMs is { } version ? $"/api/maps/{map.Id}/image?v={version}" : null;

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
