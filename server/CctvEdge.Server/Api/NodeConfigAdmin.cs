using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>
/// The configuration page's service: admins only, through the cameras API's own handlers (so a page and a script
/// make the same checks and versions), their HTTP answers read back into an outcome for the page.
/// </summary>
internal sealed class NodeConfigAdmin(NodeConfigStore configs, NodeStore nodes, ConfigChanges changes, AuditStore audit, CurrentUser current) : INodeConfigAdmin
{
    public async Task<NodeConfigModel?> GetAsync(string nodeId, CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        if (!Identifier.IsValid(nodeId)
            || await configs.LatestAsync(nodeId, cancellationToken).ConfigureAwait(false) is not { } latest
            || await nodes.FindNodeAsync(nodeId, cancellationToken).ConfigureAwait(false) is not { } node)
        {
            return null;
        }

        var schemas = PluginRecord.ListFrom(node.PluginsJson)
            .Where(p => p.SettingsSchema is { ValueKind: JsonValueKind.Object })
            .GroupBy(p => p.Id)
            .ToDictionary(g => g.Key, g => g.First().SettingsSchema!.Value.GetRawText());
        var versions = (await configs.ListAsync(nodeId, cancellationToken).ConfigureAwait(false))
            .Select(v => new ConfigVersionEntry(v.Version, v.Author, DateTimeOffset.FromUnixTimeMilliseconds(v.CreatedMs), v.Comment))
            .ToList();
        var snapshots = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.NodeId == nodeId && OverviewQuery.SnapshotUrl(c) is not null)
            .ToDictionary(c => c.Id, c => OverviewQuery.SnapshotUrl(c)!, StringComparer.Ordinal);
        return new NodeConfigModel(
            nodeId,
            latest.Version,
            node.ConfigApplied,
            node.ConfigRefused > 0 ? node.ConfigRefused : null,
            node.ConfigRefused > 0 ? node.ConfigError : null,
            CameraEntries.Parse(latest.CamerasJson).Select(c => c?.ToJsonString() ?? "{}").ToList(),
            schemas,
            versions,
            snapshots);
    }

    public async Task<ConfigEditOutcome> SaveCameraAsync(string nodeId, string cameraJson, bool isNew, CancellationToken cancellationToken)
    {
        var user = await AdminAsync().ConfigureAwait(false);
        JsonObject? camera;
        try
        {
            camera = JsonNode.Parse(cameraJson) as JsonObject;
        }
        catch (JsonException ex)
        {
            return new ConfigEditOutcome(null, false, $"The camera is not valid JSON: {ex.Message}");
        }

        if (camera is null)
        {
            return new ConfigEditOutcome(null, false, "A camera is a JSON object.");
        }

        var cameraId = CameraEntries.IdOf(camera) ?? "";
        return await AuditedAsync(user, isNew ? "add camera" : "change camera", $"node {nodeId} camera {cameraId}", isNew
            ? await CameraConfigApi.AddCameraAsync(nodeId, camera, user, changes, cancellationToken).ConfigureAwait(false)
            : await CameraConfigApi.ReplaceCameraAsync(nodeId, cameraId, camera, user, changes, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<ConfigEditOutcome> RemoveCameraAsync(string nodeId, string cameraId, CancellationToken cancellationToken)
    {
        var user = await AdminAsync().ConfigureAwait(false);
        return await AuditedAsync(user, "remove camera", $"node {nodeId} camera {cameraId}", await CameraConfigApi.RemoveCameraAsync(nodeId, cameraId, user, changes, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<ConfigEditOutcome> RollbackAsync(string nodeId, long version, CancellationToken cancellationToken)
    {
        var user = await AdminAsync().ConfigureAwait(false);
        return await AuditedAsync(user, "roll back configuration", $"node {nodeId} to version {version}",
            await CameraConfigApi.RollbackAsync(nodeId, new CameraConfigApi.RollbackRequest(version), user, configs, changes, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The page's change as an outcome, written to the audit log (the page makes no HTTP request the audit middleware would see).</summary>
    private async Task<ConfigEditOutcome> AuditedAsync(System.Security.Claims.ClaimsPrincipal user, string action, string target, IResult result)
    {
        var outcome = Outcome(result);
        await audit.PageChangeAsync(user.Identity?.Name ?? "unknown", action, target, outcome.Problem ?? $"version {outcome.Version}").ConfigureAwait(false);
        return outcome;
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> AdminAsync()
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await current.GetAsync().ConfigureAwait(false);
    }

    /// <summary>The API handler's answer as the page's outcome.</summary>
    private static ConfigEditOutcome Outcome(IResult result) => result switch
    {
        Ok<ConfigChanges.ConfigChange> ok => new ConfigEditOutcome(ok.Value!.Version, ok.Value.Pushed, null),
        Created<ConfigChanges.ConfigChange> created => new ConfigEditOutcome(created.Value!.Version, created.Value.Pushed, null),
        ValidationProblem invalid => new ConfigEditOutcome(null, false, string.Join(" ", invalid.ProblemDetails.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
        ProblemHttpResult problem => new ConfigEditOutcome(null, false, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title),
        _ => new ConfigEditOutcome(null, false, "The change was not made."),
    };
}
