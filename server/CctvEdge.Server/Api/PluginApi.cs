using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>
/// A node's plugins as it last reported them: installed plugins (with the JSON Schema of their settings, for a settings
/// form) and the instances running on its cameras (with their counters and warnings).
/// </summary>
internal static class PluginApi
{
    public static IEndpointRouteBuilder MapPluginApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/nodes/{nodeId}/plugins", ListAsync);
        endpoints.MapGet("/api/nodes/{nodeId}/plugins/{pluginId}/settings-schema", SchemaAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<NodePlugins>, NotFound, BadRequest<string>>> ListAsync(string nodeId, NodeStore nodes, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return TypedResults.BadRequest($"Node ids must be {Identifier.Rule}.");
        }

        return await nodes.FindNodeAsync(nodeId, ct) is { } node
            ? TypedResults.Ok(new NodePlugins(PluginRecord.ListFrom(node.PluginsJson), PluginRecord.ListFrom(node.InstancesJson)))
            : TypedResults.NotFound();
    }

    /// <summary>The schema itself (application/json), so a form library can take it as it is.</summary>
    private static async Task<Results<ContentHttpResult, NotFound, BadRequest<string>>> SchemaAsync(string nodeId, string pluginId, NodeStore nodes, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(pluginId))
        {
            return TypedResults.BadRequest($"Ids must be {Identifier.Rule}.");
        }

        var node = await nodes.FindNodeAsync(nodeId, ct);
        var schema = node is null ? null : PluginRecord.ListFrom(node.PluginsJson).FirstOrDefault(p => p.Id == pluginId)?.SettingsSchema;
        return schema is { } found ? TypedResults.Content(found.GetRawText(), "application/schema+json") : TypedResults.NotFound();
    }

    internal sealed record NodePlugins(IReadOnlyList<PluginRecord> Installed, IReadOnlyList<PluginRecord> Instances);
}
