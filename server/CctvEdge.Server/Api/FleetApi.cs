using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>What an admin puts to move a node to a site.</summary>
internal sealed record SiteRequest(string? Site);

/// <summary>The fleet's health (<c>GET /api/fleet/nodes</c>) and sites (<c>PUT /api/nodes/{node}/site</c>, admins).</summary>
internal static class FleetApi
{
    public const int MaxSiteLength = 60;

    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/fleet/nodes", (NodeStore nodes, SessionRegistry sessions, CancellationToken ct) => NodesAsync(nodes, sessions, ct)).WithTags("Fleet")
            .WithSummary("Every node with its site, versions, CPU, memory, disk, CPU temperature, clock skew, backlog (and the time of its oldest item) and configuration version.");
        endpoints.MapPut("/api/nodes/{nodeId}/site", async Task<Results<NoContent, NotFound, ValidationProblem>> (string nodeId, SiteRequest request, NodeStore nodes, CancellationToken ct) =>
            (request.Site?.Trim() ?? "").Length > MaxSiteLength
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["site"] = [$"must be at most {MaxSiteLength} characters."] })
                : await SetSiteAsync(nodeId, request.Site, nodes, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithTags("Fleet").RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Put a node in a site (an empty site for none).");
        return endpoints;
    }

    /// <summary>The API's and the fleet page's list, sites first by name, then nodes by name.</summary>
    public static async Task<IReadOnlyList<FleetNodeView>> NodesAsync(NodeStore nodes, SessionRegistry sessions, CancellationToken ct) =>
        (await nodes.ListNodesAsync(ct).ConfigureAwait(false))
            .Select(n => new FleetNodeView(
                n.Id,
                n.Name,
                n.Site,
                sessions.IsConnected(n.Id),
                DateTimeOffset.FromUnixTimeMilliseconds(n.LastSeenMs),
                n.AgentVersion,
                n.Hostname,
                Installed(n.PluginsJson),
                n.CpuPercent,
                n.MemoryBytes,
                n.DiskFreeBytes,
                n.DiskTotalBytes,
                n.CpuTemperature,
                n.ClockSkewMs is { } skew ? TimeSpan.FromMilliseconds(skew) : null,
                n.PendingResults,
                n.PendingClips,
                n.PendingClipBytes,
                n.OldestPendingMs is { } oldest ? DateTimeOffset.FromUnixTimeMilliseconds(oldest) : null,
                n.ConfigApplied,
                n.ConfigRefused > 0 ? $"version {n.ConfigRefused}: {n.ConfigError}" : null,
                UploadPolicyViews.From(n.UploadPolicyJson)))
            .OrderBy(n => n.Site.Length == 0).ThenBy(n => n.Site, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>The API's and the fleet page's change of site; false for an unknown node.</summary>
    public static Task<bool> SetSiteAsync(string nodeId, string? site, NodeStore nodes, CancellationToken ct) =>
        Identifier.IsValid(nodeId) && (site?.Trim() ?? "").Length <= MaxSiteLength ? nodes.SetSiteAsync(nodeId, site?.Trim() ?? "", ct) : Task.FromResult(false);

    private static IReadOnlyList<string> Installed(string pluginsJson) =>
        PluginRecord.ListFrom(pluginsJson).Select(p => $"{p.Id} {p.Version}").ToList();
}
