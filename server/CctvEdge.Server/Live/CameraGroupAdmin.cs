using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Live;

/// <summary>The live page's groups, on the REST API's paths (<see cref="CameraGroupApi"/>); saves and deletions are admins' and audited.</summary>
internal sealed class CameraGroupAdmin(CameraGroupStore groups, NodeStore nodes, AuditStore audit, CurrentUser current, TimeProvider clock) : ICameraGroups
{
    public Task<IReadOnlyList<CameraGroup>> ListAsync(CancellationToken cancellationToken) => CameraGroupApi.ListAsync(groups, cancellationToken);

    public async Task<(CameraGroup? Group, string? Problem)> SaveAsync(long? id, string name, IReadOnlyList<CameraKey> cameras, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (saved, _, errors) = await CameraGroupApi.SaveAsync(id, new CameraGroupRequest(name, cameras), by, groups, nodes, clock, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, id is null ? "create camera group" : "change camera group", $"group {(saved?.Id ?? id)} {name.Trim()} ({string.Join(' ', cameras)})", saved is null ? errors.Summary : "saved").ConfigureAwait(false);
        return saved is null ? (null, errors.Summary) : (saved, null);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var deleted = await groups.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "delete camera group", $"group {id}", deleted ? "deleted" : "not found").ConfigureAwait(false);
        return deleted;
    }
}
