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

        var devices = (await DevicesAsync(null, cancellationToken).ConfigureAwait(false)).ToDictionary(d => (d.Kind, d.Node, d.Device));
        var states = await StatesAsync(cancellationToken).ConfigureAwait(false);
        var since = clock.GetUtcNow() - recent;
        var pins = new List<MapPinView>();
        foreach (var pin in await maps.PinsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var device = devices.GetValueOrDefault((pin.Kind, pin.NodeId, pin.DeviceId));
            var latest = await maps.LatestEventAsync(pin.Kind, pin.NodeId, pin.DeviceId, cancellationToken).ConfigureAwait(false);
            var lastEvent = latest is null ? (DateTimeOffset?)null : Time(latest.StartMs);
            var state = states.GetValueOrDefault((pin.Kind, pin.NodeId, pin.DeviceId));
            var up = device is not null && sessions.IsConnected(pin.NodeId) && !DownStates.Contains(state.State ?? "");
            var status = !up ? MapPinStatus.Offline : lastEvent >= since ? MapPinStatus.Event : MapPinStatus.Online;
            var camera = pin.Kind == "camera" ? pin.DeviceId : state.Camera;
            pins.Add(new MapPinView(
                pin.Kind,
                pin.NodeId,
                pin.Kind == "camera" ? pin.DeviceId : null,
                pin.Kind == "sensor" ? pin.DeviceId : null,
                pin.X,
                pin.Y,
                device?.Name ?? pin.DeviceId,
                status,
                lastEvent,
                latest?.Id,
                string.IsNullOrEmpty(camera) ? null : $"live/{pin.NodeId}/{camera}"));
        }

        return new SiteMapView(map.Id, map.Site, map.Name, ImageUrl(map), pins, map.UpdatedBy, Time(map.UpdatedMs));
    }

    /// <summary>The cameras and sensors of <paramref name="site"/>'s nodes (every node's when null), cameras first.</summary>
    public async Task<IReadOnlyList<MapDevice>> DevicesAsync(string? site, CancellationToken cancellationToken)
    {
        var sites = (await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id, n => n.Site);
        var cameras = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => new MapDevice("camera", c.NodeId, c.Id, c.Name, sites.GetValueOrDefault(c.NodeId) ?? ""));
        var sensorDevices = (await sensors.ListSensorsAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.State != "removed")
            .Select(s => new MapDevice("sensor", s.NodeId, s.Id, s.Name, sites.GetValueOrDefault(s.NodeId) ?? ""));
        return cameras.Concat(sensorDevices).Where(d => site is null || d.Site == site).ToList();
    }

    /// <summary>Each device's state and the camera its live view shows (a sensor's linked camera, '' for none).</summary>
    private async Task<Dictionary<(string Kind, string Node, string Device), (string? State, string? Camera)>> StatesAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<(string, string, string), (string?, string?)>();
        foreach (var c in await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false))
        {
            states[("camera", c.NodeId, c.Id)] = (c.State, c.Id);
        }

        foreach (var s in await sensors.ListSensorsAsync(cancellationToken).ConfigureAwait(false))
        {
            states[("sensor", s.NodeId, s.Id)] = (s.State, s.CameraId);
        }

        return states;
    }

    /// <summary>The plan's address, versioned by its upload time so a browser fetches a replaced plan once.</summary>
    private static string? ImageUrl(SiteMapRow map) => map.ImageMs is { } version ? $"/api/maps/{map.Id}/image?v={version}" : null;

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
