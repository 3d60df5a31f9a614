using CctvEdge.Node.Cameras;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// Takes a configuration version pushed by the fleet hub: checks it as the config file is checked at start, saves it
/// (<see cref="CentralConfigFile"/>) and hands it to the running node. A version that fails the checks changes
/// nothing: the node keeps running what it had and the reasons go back to the server.
/// </summary>
internal sealed partial class CentralConfigApplier(
    CameraConfiguration cameras,
    NodeConfigurationValidator validator,
    IOptions<NodeOptions> node,
    ILogger<CentralConfigApplier> logger)
{
    /// <summary>Applies <paramref name="config"/>; null when it is in force, otherwise why it was refused.</summary>
    public string? Apply(ApplyConfig config)
    {
        if (config.Version == 0)
        {
            return Refuse(config.Version, "Version 0 is the local config file's; the hub's versions start at 1.");
        }

        CamerasOptions next;
        try
        {
            next = CentralConfigFile.Parse(config.CamerasJson);
        }
        catch (JsonException ex)
        {
            return Refuse(config.Version, $"Cameras is not valid JSON: {ex.Message}");
        }
        catch (OptionsValidationException ex)
        {
            return Refuse(config.Version, string.Join(" ", ex.Failures));
        }

        var result = validator.Validate(null, next);
        if (result.Failed)
        {
            return Refuse(config.Version, string.Join(" ", result.Failures));
        }

        next.Version = config.Version;
        if (next.Version == cameras.Version && next.Json == cameras.Current.Json)
        {
            return null;
        }

        try
        {
            CentralConfigFile.Write(node.Value.ResolvedDataDirectory, next.Version, next.Json);
        }
        catch (IOException ex)
        {
            return Refuse(config.Version, $"The node could not save it: {ex.Message}");
        }

        LogApplying(logger, next.Version, next.Items.Count);
        cameras.Replace(next);
        return null;
    }

    private string Refuse(ulong version, string reason)
    {
        LogRefused(logger, version, cameras.Version, reason);
        return reason;
    }

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Applying the fleet hub's configuration version {Version}: {Cameras} camera(s).")]
    private static partial void LogApplying(ILogger logger, ulong version, int cameras);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error, Message = "Refused the fleet hub's configuration version {Version}; version {Running} keeps running: {Reason}")]
    private static partial void LogRefused(ILogger logger, ulong version, ulong running, string reason);
}
