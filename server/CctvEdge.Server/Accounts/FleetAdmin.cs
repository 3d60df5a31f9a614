using CctvEdge.Server.Api;
using CctvEdge.Server.Audit;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Accounts;

/// <summary>The fleet page's service: admins only, on the same paths as the REST API; every change is audited.</summary>
internal sealed class FleetAdmin(
    EnrolmentStore enrolment,
    NodeStore nodes,
    PluginPackageStore packages,
    PluginRollouts rollouts,
    SessionRegistry sessions,
    AuditStore audit,
    CurrentUser current,
    ServerEndpoints endpoints,
    TimeProvider clock) : IFleetAdmin
{
    public string NodeAddress(string host) =>
        $"{(endpoints.GrpcTls ? "https" : "http")}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{endpoints.Grpc?.IPEndPoint?.Port ?? 5081}";

    public async Task<IReadOnlyList<EnrolmentCodeEntry>> CodesAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await EnrolmentApi.ListAsync(enrolment, clock, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(IssuedEnrolmentCode? Code, string? Problem)> IssueCodeAsync(string? nodeId, int hours, string? comment, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (code, errors) = await EnrolmentApi.IssueAsync(new EnrolmentCodeRequest(nodeId, hours, comment), by, enrolment, clock, cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            return (null, errors.Summary);
        }

        await audit.PageChangeAsync(by, "issue enrolment code", $"code {code.Id}{(code.NodeId is null ? "" : $" for node {code.NodeId}")}", "issued").ConfigureAwait(false);
        return (new IssuedEnrolmentCode(code.Id, code.Code, code.NodeId, code.Expires), null);
    }

    public async Task<bool> RevokeCodeAsync(long id, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var revoked = await enrolment.RevokeCodeAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "revoke enrolment code", $"code {id}", revoked ? "revoked" : "not found").ConfigureAwait(false);
        return revoked;
    }

    public async Task<bool> RevokeNodeAsync(string nodeId, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var revoked = await EnrolmentApi.RevokeNodeAsync(nodeId, enrolment, sessions, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "revoke node credential", $"node {nodeId}", revoked ? "revoked" : "not enrolled").ConfigureAwait(false);
        return revoked;
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int limit, string? actor, CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await AuditApi.EntriesAsync(audit, Math.Clamp(limit, 1, 1000), 0, actor, null, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<FleetNodeView>> NodesAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await FleetApi.NodesAsync(nodes, sessions, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetSiteAsync(string nodeId, string site, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var set = await FleetApi.SetSiteAsync(nodeId, site, nodes, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "set site", $"node {nodeId} to '{site.Trim()}'", set ? "done" : "refused").ConfigureAwait(false);
        return set;
    }

    public async Task<IReadOnlyList<PluginPackageEntry>> PackagesAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return (await packages.ListPackagesAsync(cancellationToken).ConfigureAwait(false)).Select(PluginRolloutApi.Entry).ToList();
    }

    public async Task<(PluginPackageEntry? Package, string? Problem)> UploadPackageAsync(Stream zip, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (package, problem) = await rollouts.AddPackageAsync(zip, by, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "upload plugin package", package is null ? "" : $"{package.PluginId} {package.Version} ({package.Id})", problem ?? "stored").ConfigureAwait(false);
        return (package is null ? null : PluginRolloutApi.Entry(package), problem);
    }

    public async Task<string?> RollOutAsync(string packageId, IReadOnlyList<string> nodeIds, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (started, errors) = await PluginRolloutApi.StartAsync(new RolloutRequest(packageId, nodeIds), by, packages, nodes, rollouts, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "roll out plugin", $"package {packageId} to {string.Join(", ", nodeIds)}", errors.Any ? errors.Summary : $"{started.Count} started").ConfigureAwait(false);
        return errors.Any ? errors.Summary : null;
    }

    public async Task<IReadOnlyList<PluginRolloutEntry>> RolloutsAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return (await packages.ListRolloutsAsync(null, cancellationToken).ConfigureAwait(false)).Select(PluginRolloutApi.Entry).ToList();
    }
}
