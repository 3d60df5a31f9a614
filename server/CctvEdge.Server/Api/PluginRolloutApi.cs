using System.Security.Claims;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.Features;

namespace CctvEdge.Server.Api;

/// <summary>What an admin posts to roll a package out.</summary>
internal sealed record RolloutRequest(string? PackageId, IReadOnlyList<string>? Nodes);

/// <summary>
/// Plugin rollout (admins): upload a package (the zip of a built plugin folder, as the body), roll it out to nodes,
/// follow each node's install. Rolling back is rolling out the earlier package again.
/// </summary>
internal static class PluginRolloutApi
{
    public static IEndpointRouteBuilder MapPluginRolloutApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api").WithTags("Plugin rollout").RequireAuthorization(ApiScopes.AdminPolicy);
        // Any content type: curl --data-binary sends form encoding unless told otherwise, and the bytes are checked anyway.
        admin.MapPost("/plugin-packages", UploadAsync)
            .WithSummary("Upload a plugin package: the zip of a built plugin folder (plugin.json at its root), as the request body; checked as a node will check it.");
        admin.MapGet("/plugin-packages", async (PluginPackageStore store, CancellationToken ct) =>
            (await store.ListPackagesAsync(ct)).Select(Entry)).WithSummary("The uploaded plugin packages, newest first.");
        admin.MapPost("/plugin-rollouts", StartRolloutAsync).WithSummary("Roll a package out to nodes: pushed now to connected nodes, at their next connection to the others.")
            .ProducesValidationProblem();
        admin.MapGet("/plugin-rollouts", async (string? node, PluginPackageStore store, CancellationToken ct) =>
            (await store.ListRolloutsAsync(string.IsNullOrEmpty(node) ? null : node, ct)).Select(Entry)).WithSummary("Rollouts and their state (pending, sent, installed, failed, superseded), newest first; node narrows them.");
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, ClaimsPrincipal user, PluginRollouts rollouts, CancellationToken ct)
    {
        // Kestrel's 30 MB default is too small for a plugin with its dependencies; the package's own limit applies.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = PluginRollouts.MaxPackageBytes + 1;
        }

        var (package, problem) = await rollouts.AddPackageAsync(http.Request.Body, user.Identity?.Name ?? "unknown", ct);
        return package is null
            ? TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Created($"/api/plugin-packages/{package.Id}", Entry(package));
    }

    private static async Task<IResult> StartRolloutAsync(RolloutRequest request, ClaimsPrincipal user, PluginPackageStore store, NodeStore nodes, PluginRollouts rollouts, CancellationToken ct)
    {
        var (started, errors) = await StartAsync(request, user.Identity?.Name ?? "unknown", store, nodes, rollouts, ct);
        return errors.Any ? errors.Problem("The rollout is not valid.") : TypedResults.Accepted("/api/plugin-rollouts", started.Select(Entry));
    }

    /// <summary>Checks and starts a rollout: the API's and the fleet page's path.</summary>
    public static async Task<(IReadOnlyList<PluginRolloutRow> Started, QueryErrors Errors)> StartAsync(
        RolloutRequest request, string by, PluginPackageStore store, NodeStore nodes, PluginRollouts rollouts, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var package = string.IsNullOrEmpty(request.PackageId) ? null : await store.FindPackageAsync(request.PackageId, ct).ConfigureAwait(false);
        if (package is null)
        {
            errors.Add("packageId", $"no package '{request.PackageId}' was uploaded; GET /api/plugin-packages lists them.");
        }

        var targets = request.Nodes ?? [];
        if (targets.Count == 0)
        {
            errors.Add("nodes", "must name at least one node.");
        }

        foreach (var node in targets)
        {
            if (!Identifier.IsValid(node) || await nodes.FindNodeAsync(node, ct).ConfigureAwait(false) is null)
            {
                errors.Add("nodes", $"'{node}' is not a node this server knows.");
            }
        }

        return errors.Any ? ([], errors) : (await rollouts.StartAsync(package!, targets, by, ct).ConfigureAwait(false), errors);
    }

    public static PluginPackageEntry Entry(PluginPackageRow row) =>
        new(row.Id, row.PluginId, row.Version, row.Description, row.Size, row.UploadedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.UploadedMs));

    public static PluginRolloutEntry Entry(PluginRolloutRow row) => new(
        row.Id, row.NodeId, row.PackageId, row.PluginId, row.State, row.Error, row.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedMs));
}
