using System.Globalization;
using System.Text.Json.Nodes;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// Keeps each node running the latest version of its configuration. At a hello, a node the hub has no configuration
/// for (or only what the node itself reported) gives its own as a version; a node running anything else gets the
/// latest pushed. A change made through the API is pushed at once to a connected node and at its next hello to one
/// that is offline. The node's reply, ok or refused with reasons, is recorded against the version.
/// </summary>
internal sealed partial class ConfigSync(NodeConfigStore configs, SessionRegistry sessions, ChangeFeed changes, ILogger<ConfigSync> logger)
{
    private const string CommandPrefix = "config-";
    private const int MaxCamerasJson = 1024 * 1024;

    public async Task NodeConnectedAsync(Hello hello, CancellationToken cancellationToken)
    {
        if (hello.CamerasJson.Length == 0)
        {
            return; // An agent older than the fleet hub: it neither reports nor takes configurations.
        }

        var nodeId = hello.NodeId;
        var reported = (long)hello.ConfigVersion;
        var latest = await configs.LatestAsync(nodeId, cancellationToken).ConfigureAwait(false);
        if (latest is null || (reported == 0 && latest.FromNode) || reported > latest.Version)
        {
            var json = Normalize(hello.CamerasJson);
            if (latest is null || Normalize(latest.CamerasJson) != json)
            {
                var comment = reported == 0 ? "the node's config file" : $"the node's version {reported}, unknown here";
                latest = await configs.AddAsync(nodeId, json, NodeConfigStore.NodeAuthor, comment, null, cancellationToken).ConfigureAwait(false);
                LogTaken(logger, nodeId, latest!.Version, comment);
            }

            if (reported == 0)
            {
                await configs.SetAppliedAsync(nodeId, latest.Version, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (reported == latest.Version)
        {
            await configs.SetAppliedAsync(nodeId, latest.Version, cancellationToken).ConfigureAwait(false);
            return;
        }

        Push(latest);
    }

    /// <summary>Sends <paramref name="config"/> to its node if connected; false when it goes at the node's next hello.</summary>
    public bool Push(NodeConfigRow config)
    {
        var command = new Command
        {
            CommandId = $"{CommandPrefix}{config.Version.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}",
            ApplyConfig = new ApplyConfig { Version = (ulong)config.Version, CamerasJson = config.CamerasJson },
        };
        var sent = sessions.TrySend(config.NodeId, new ServerMessage { Command = command });
        LogPushed(logger, config.NodeId, config.Version, sent);
        return sent;
    }

    /// <summary>Records the node's answer to a push; false when the reply is not about a configuration.</summary>
    public async Task<bool> TryRecordReplyAsync(string nodeId, CommandReply reply, CancellationToken cancellationToken)
    {
        if (!reply.CommandId.StartsWith(CommandPrefix, StringComparison.Ordinal)
            || !long.TryParse(reply.CommandId[CommandPrefix.Length..].Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        if (reply.Ok)
        {
            await configs.SetAppliedAsync(nodeId, version, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogRefused(logger, nodeId, version, reply.Error);
            await configs.SetRefusedAsync(nodeId, version, reply.Error, cancellationToken).ConfigureAwait(false);
        }

        changes.Publish(new LiveChange(LiveChangeKind.Node, nodeId, null));
        return true;
    }

    /// <summary>Why a node's reported Cameras section cannot be kept (not a JSON array, or over 1 MiB); null when it can.</summary>
    public static string? CamerasJsonProblem(string camerasJson)
    {
        if (camerasJson.Length == 0)
        {
            return null;
        }

        if (camerasJson.Length > MaxCamerasJson)
        {
            return $"The node's Cameras section is larger than {MaxCamerasJson / 1024} KiB.";
        }

        try
        {
            return JsonNode.Parse(camerasJson) is JsonArray ? null : "The node's Cameras section must be a JSON array.";
        }
        catch (System.Text.Json.JsonException ex)
        {
            return $"The node's Cameras section is not valid JSON: {ex.Message}";
        }
    }

    /// <summary>One text per configuration, whatever the spacing it was written with.</summary>
    public static string Normalize(string json) => JsonNode.Parse(json)?.ToJsonString() ?? "null";

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "Node {NodeId}: configuration version {Version} taken from {Source}.")]
    private static partial void LogTaken(ILogger logger, string nodeId, long version, string source);

    [LoggerMessage(EventId = 37, Level = LogLevel.Information, Message = "Node {NodeId}: configuration version {Version} pushed: {Sent} (false: it goes at the node's next connection).")]
    private static partial void LogPushed(ILogger logger, string nodeId, long version, bool sent);

    [LoggerMessage(EventId = 38, Level = LogLevel.Warning, Message = "Node {NodeId} refused configuration version {Version} and keeps running its previous one: {Reason}")]
    private static partial void LogRefused(ILogger logger, string nodeId, long version, string reason);
}
