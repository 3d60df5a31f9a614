namespace CctvEdge.Web.Services;

/// <summary>
/// A node as the fleet page shows it: where it is (site), what it runs (versions, configuration), how it is (CPU,
/// memory, disk, temperature, clock) and what it has not delivered yet (the backlog and the age of its oldest item), with its upload policy.
/// <c>GET /api/fleet/nodes</c> answers these.
/// </summary>
public sealed record FleetNodeView(
    string Id,
    string Name,
    string Site,
    bool Online,
    DateTimeOffset LastSeen,
    string AgentVersion,
    string Hostname,
    IReadOnlyList<string> Plugins,
    double? CpuPercent,
    long? MemoryBytes,
    long? DiskFreeBytes,
    long? DiskTotalBytes,
    double? CpuTemperature,
    TimeSpan? ClockSkew,
    long PendingResults,
    long PendingClips,
    long PendingClipBytes,
    DateTimeOffset? OldestPending,
    long ConfigVersion,
    string? ConfigRefused,
    UploadPolicyView? UploadPolicy = null);

/// <summary>A plugin package uploaded to the server (the zip of a plugin folder), named by its sha256.</summary>
public sealed record PluginPackageEntry(string Id, string PluginId, string Version, string Description, long Size, string UploadedBy, DateTimeOffset Uploaded);

/// <summary>A package's rollout to one node: pending, sent, installed, failed (with the node's reason) or superseded.</summary>
public sealed record PluginRolloutEntry(long Id, string NodeId, string PackageId, string PluginId, string State, string Error, string CreatedBy, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>One entry of the audit log: who changed what, when, and how.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Via, string Action, string Target, string Outcome, string Remote);

/// <summary>An enrolment code as listed (never the code itself once issued).</summary>
public sealed record EnrolmentCodeEntry(long Id, string? NodeId, string Comment, string CreatedBy, DateTimeOffset Created, DateTimeOffset Expires, string State, DateTimeOffset? Used, string? UsedBy);

/// <summary>A code just issued: the only time it is shown.</summary>
public sealed record IssuedEnrolmentCode(long Id, string Code, string? NodeId, DateTimeOffset Expires);

/// <summary>An API token as listed: never its secret.</summary>
public sealed record TokenEntry(long Id, string Name, string Owner, IReadOnlyList<string> Scopes, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? Revoked, DateTimeOffset? LastUsed);

/// <summary>
/// The fleet page's service (admins only): enrolment codes, node credentials and the audit log. Every change it makes
/// is written to the audit log under the admin's name.
/// </summary>
public interface IFleetAdmin
{
    /// <summary>The address a node dials to enrol, for the command shown: this server's gRPC port on <paramref name="host"/> (the host the admin's browser reached).</summary>
    string NodeAddress(string host);

    Task<IReadOnlyList<EnrolmentCodeEntry>> CodesAsync(CancellationToken cancellationToken);

    /// <summary>Issues a code; the problem when the fields are not valid.</summary>
    Task<(IssuedEnrolmentCode? Code, string? Problem)> IssueCodeAsync(string? nodeId, int hours, string? comment, CancellationToken cancellationToken);

    Task<bool> RevokeCodeAsync(long id, CancellationToken cancellationToken);

    /// <summary>Revokes a node's credential and ends its session; false when it holds none.</summary>
    Task<bool> RevokeNodeAsync(string nodeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> AuditAsync(int limit, string? actor, CancellationToken cancellationToken);

    Task<IReadOnlyList<PluginPackageEntry>> PackagesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a package after the checks a node makes; the reason when it is refused.</summary>
    Task<(PluginPackageEntry? Package, string? Problem)> UploadPackageAsync(Stream zip, CancellationToken cancellationToken);

    /// <summary>Rolls a package out to nodes; the problem when the package or a node is unknown.</summary>
    Task<string?> RollOutAsync(string packageId, IReadOnlyList<string> nodeIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<PluginRolloutEntry>> RolloutsAsync(CancellationToken cancellationToken);

    /// <summary>Every node with its health, grouped by the page.</summary>
    Task<IReadOnlyList<FleetNodeView>> NodesAsync(CancellationToken cancellationToken);

    /// <summary>Puts a node in a site (empty for none); false for an unknown node or a site over 60 characters.</summary>
    Task<bool> SetSiteAsync(string nodeId, string site, CancellationToken cancellationToken);
}

/// <summary>The tokens page's service: a user's own API tokens (an admin's page lists everyone's).</summary>
public interface ITokenAdmin
{
    Task<IReadOnlyList<TokenEntry>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates a token; its secret is in the answer only. The problem when the fields are not valid.</summary>
    Task<(string? Token, string? Problem)> CreateAsync(string name, IReadOnlyList<string> scopes, int days, CancellationToken cancellationToken);

    Task<bool> RevokeAsync(long id, CancellationToken cancellationToken);
}
