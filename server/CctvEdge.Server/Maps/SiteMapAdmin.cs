using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Maps;

/// <summary>The map page's maps, on the REST API's paths (<see cref="SiteMapApi"/>); changes are admins' and audited.</summary>
internal sealed class SiteMapAdmin(SiteMapStore maps, SiteMapReader reader, AuditStore audit, CurrentUser current) : ISiteMaps
{
    public Task<IReadOnlyList<SiteMapSummary>> ListAsync(string? site, CancellationToken cancellationToken) => reader.ListAsync(site, cancellationToken);

    public Task<SiteMapView?> GetAsync(long id, TimeSpan recent, CancellationToken cancellationToken) => reader.GetAsync(id, recent, cancellationToken);

    public Task<IReadOnlyList<MapDevice>> DevicesAsync(string? site, CancellationToken cancellationToken) => reader.DevicesAsync(site, cancellationToken);

    public async Task<(long? Id, string? Problem)> SaveAsync(long? id, string site, string name, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (saved, _, errors) = await SiteMapApi.SaveAsync(id, new SiteMapRequest(site, name), by, maps, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, id is null ? "create site map" : "change site map", $"map {saved ?? id} {site}/{name.Trim()}", saved is null ? errors.Summary : "saved").ConfigureAwait(false);
        return saved is null ? (null, errors.Summary) : (saved, null);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var deleted = await maps.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "delete site map", $"map {id}", deleted ? "deleted" : "not found").ConfigureAwait(false);
        return deleted;
    }

    public async Task<string?> SetImageAsync(long id, Stream? image, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        string? problem = null;
        if (image is null)
        {
            problem = await maps.SetImageAsync(id, null, null, by, cancellationToken).ConfigureAwait(false) ? null : $"id there is no map #{id}.";
        }
        else if (await SiteMapApi.SetImageAsync(id, image, by, maps, cancellationToken).ConfigureAwait(false) is (_, { Any: true } errors))
        {
            problem = errors.Summary;
        }

        await audit.PageChangeAsync(by, image is null ? "clear site map plan" : "upload site map plan", $"map {id}", problem ?? "saved").ConfigureAwait(false);
        return problem;
    }

    public async Task<string?> SetPinsAsync(long id, IReadOnlyList<MapPin> pins, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var requests = pins.Select(p => new MapPinRequest(p.Kind, p.Node, p.Kind == "camera" ? p.Device : null, p.Kind == "sensor" ? p.Device : null, p.X, p.Y)).ToList();
        var (_, errors) = await SiteMapApi.SetPinsAsync(id, requests, by, maps, reader, cancellationToken).ConfigureAwait(false);
        // Every drag saves; the audit log keeps one line per save, not per pixel.
        await audit.PageChangeAsync(by, "place site map pins", $"map {id} ({pins.Count} pins)", errors.Any ? errors.Summary : "saved").ConfigureAwait(false);
        return errors.Any ? errors.Summary : null;
    }
}
