using System.Security.Claims;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace CctvEdge.Server.Api;

/// <summary>What an admin posts to roll a package out.</summary>
internal sealed record RolloutRequest(string? PackageId, IReadOnlyList<string>? Nodes);

internal sealed record PluginPackageView(string Id, string PluginId, string Version, string Description, long Size, string UploadedBy, DateTimeOffset Uploaded)
{
    public static PluginPackageView From(PluginPackageRow row) =>
        new(row.Id, row.PluginId, row.Version, row.Description, row.Size, row.UploadedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.UploadedMs));
}

internal sealed record PluginRolloutView(long Id, string NodeId, string PackageId, string PluginId, string State, string Error, string CreatedBy, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static PluginRolloutView From(PluginRolloutRow row) => new(
        row.Id, row.NodeId, row.PackageId, row.PluginId, row.State, row.Error, row.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedMs));
}

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
            (await store.ListPackagesAsync(ct)).Select(PluginPackageView.From)).WithSummary("The uploaded plugin packages, newest first.");
        admin.MapPost("/plugin-rollouts", StartAsync).WithSummary("Roll a package out to nodes: pushed now to connected nodes, at their next connection to the others.")
            .ProducesValidationProblem();
        admin.MapGet("/plugin-rollouts", async (string? node, PluginPackageStore store, CancellationToken ct) =>
            (await store.ListRolloutsAsync(string.IsNullOrEmpty(node) ? null : node, ct)).Select(PluginRolloutView.From)).WithSummary("Rollouts and their state (pending, sent, installed, failed, superseded), newest first; node narrows them.");
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
            : TypedResults.Created($"/api/plugin-packages/{package.Id}", PluginPackageView.From(package));
    }

    private static async Task<IResult> StartAsync(RolloutRequest request, ClaimsPrincipal user, PluginPackageStore store, NodeStore nodes, PluginRollouts rollouts, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var package = string.IsNullOrEmpty(request.PackageId) ? null : await store.FindPackageAsync(request.PackageId, ct);
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
            if (!Identifier.IsValid(node) || await nodes.FindNodeAsync(node, ct) is null)
            {
                errors.Add("nodes", $"'{node}' is not a node this server knows.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem("The rollout is not valid.");
        }

        var started = await rollouts.StartAsync(package!, targets, user.Identity?.Name ?? "unknown", ct);
        return TypedResults.Accepted("/api/plugin-rollouts", started.Select(PluginRolloutView.From));
    }
}
