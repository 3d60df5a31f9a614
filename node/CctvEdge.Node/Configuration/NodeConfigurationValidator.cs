using System.Globalization;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Uplink;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// Checks the whole node config at start. Every message names the key as written in the config file, so an
/// installer can find and fix it.
/// </summary>
internal sealed class NodeConfigurationValidator :
    IValidateOptions<NodeOptions>,
    IValidateOptions<ServerConnectionOptions>,
    IValidateOptions<FfmpegOptions>,
    IValidateOptions<CamerasOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Id))
        {
            errors.Add("Node:Id is required: a stable name for this node, e.g. \"barn-pi\".");
        }
        else if (!Identifier.IsValid(options.Id))
        {
            errors.Add($"Node:Id '{options.Id}' is invalid: {Identifier.Rule}.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Node:DataDirectory is required.");
        }

        Range(errors, "Node:MinFreeMegabytes", options.MinFreeMegabytes, 0, 1_000_000);
        Range(errors, "Node:PluginCallBudgetMilliseconds", options.PluginCallBudgetMilliseconds, 1, 600_000);
        Range(errors, "Node:PluginHangSeconds", options.PluginHangSeconds, Math.Max(1, options.PluginCallBudgetMilliseconds / 1000.0), 86400);
        Range(errors, "Node:PluginRescanSeconds", options.PluginRescanSeconds, 0.1, 3600);
        Range(errors, "Node:PluginQuietMilliseconds", options.PluginQuietMilliseconds, 10, 60_000);

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ServerConnectionOptions options)
    {
        var errors = new List<string>();
        var keys = options.Addresses.Count > 0 ? options.Addresses.Select((_, i) => $"Server:Addresses:{i}").ToList() : ["Server:Address"];
        foreach (var (key, address) in keys.Zip(options.AllAddresses()))
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                errors.Add($"{key} '{address}' must be an absolute http:// or https:// address, e.g. http://192.168.1.10:5081.");
            }
            else if (options.CaCertificate.Length > 0 && uri.Scheme != "https")
            {
                errors.Add($"Server:CaCertificate is set, so {key} must be https:// (was '{address}').");
            }
        }

        if (options.CaCertificate.Length > 0 && !File.Exists(options.CaCertificate))
        {
            errors.Add($"Server:CaCertificate '{options.CaCertificate}' does not exist.");
        }

        Range(errors, "Server:ReconnectMinSeconds", options.ReconnectMinSeconds, 0.1, 3600);
        Range(errors, "Server:ReconnectMaxSeconds", options.ReconnectMaxSeconds, options.ReconnectMinSeconds, 86400);
        Range(errors, "Server:MaxPendingResults", options.MaxPendingResults, 100, 100_000_000);
        Range(errors, "Server:MaxUploadKilobytesPerSecond", options.MaxUploadKilobytesPerSecond, 0, 10_000_000);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, FfmpegOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("Ffmpeg:Path is required (\"ffmpeg\" to use the one on PATH).");
        }

        Range(errors, "Ffmpeg:StopTimeoutSeconds", options.StopTimeoutSeconds, 0.1, 60);
        Range(errors, "Ffmpeg:RestartMinSeconds", options.RestartMinSeconds, 0.1, 3600);
        Range(errors, "Ffmpeg:RestartMaxSeconds", options.RestartMaxSeconds, options.RestartMinSeconds, 86400);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, CamerasOptions options)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var camera in options.Items)
        {
            ValidateCamera(camera, errors);
            if (Identifier.IsValid(camera.Id) && !seen.Add(camera.Id))
            {
                errors.Add($"{camera.Path}:Id '{camera.Id}' is used by another camera; camera ids must be unique.");
            }
        }

        return Result(errors);
    }

    private static void ValidateCamera(CameraOptions camera, List<string> errors)
    {
        var at = camera.Path;
        if (!Identifier.IsValid(camera.Id))
        {
            errors.Add(string.IsNullOrEmpty(camera.Id) ? $"{at}:Id is required." : $"{at}:Id '{camera.Id}' is invalid: {Identifier.Rule}.");
        }

        var source = camera.Source;
        switch (source.Kind)
        {
            case CameraSourceKinds.Synthetic:
                CameraSourceRules.PictureSize(source, $"{at}:Source", errors);
                CameraSourceRules.Encoding(source, $"{at}:Source", errors);
                break;
            case CameraSourceKinds.File:
                if (string.IsNullOrWhiteSpace(source.Path))
                {
                    errors.Add($"{at}:Source:Path is required for a file source.");
                }
                else if (!File.Exists(source.Path))
                {
                    errors.Add($"{at}:Source:Path '{source.Path}' does not exist.");
                }

                break;
            case CameraSourceKinds.Rtsp:
                CameraSourceRules.Rtsp(source, $"{at}:Source", errors);
                break;
            case CameraSourceKinds.V4l2:
                CameraSourceRules.V4l2(source, $"{at}:Source", errors);
                break;
            case CameraSourceKinds.Rpicam:
                CameraSourceRules.Rpicam(source, $"{at}:Source", errors);
                break;
            case CameraSourceKinds.Push:
                CameraSourceRules.Push(source, $"{at}:Source", errors);
                break;
            default:
                errors.Add(string.IsNullOrEmpty(source.Kind)
                    ? $"{at}:Source:Kind is required: one of {string.Join(", ", CameraSourceKinds.All)}."
                    : $"{at}:Source:Kind '{source.Kind}' is not one of {string.Join(", ", CameraSourceKinds.All)}.");
                break;
        }

        Range(errors, $"{at}:Detect:Width", camera.Detect.Width, 16, 3840);
        Range(errors, $"{at}:Detect:Height", camera.Detect.Height, 16, 2160);
        Range(errors, $"{at}:Detect:Fps", camera.Detect.Fps, 0.1, 60);
        Range(errors, $"{at}:SnapshotSeconds", camera.SnapshotSeconds, 1, 3600);
        Range(errors, $"{at}:StallSeconds", camera.StallSeconds, 2, 600);
        Range(errors, $"{at}:GridSnapshotSeconds", camera.GridSnapshotSeconds, 0.5, Math.Max(0.5, camera.SnapshotSeconds));
        Range(errors, $"{at}:SnapshotMaxWidth", camera.SnapshotMaxWidth, 160, 7680);
        var recording = camera.Recording;
        Range(errors, $"{at}:Recording:SegmentSeconds", recording.SegmentSeconds, 1, 60);
        if (recording.FragmentMilliseconds != 0)
        {
            Range(errors, $"{at}:Recording:FragmentMilliseconds", recording.FragmentMilliseconds, 50, recording.SegmentSeconds * 1000);
        }

        Range(errors, $"{at}:Recording:RingSeconds", recording.RingSeconds, recording.SegmentSeconds * 5, 7 * 86400);
        Range(errors, $"{at}:Recording:RingMegabytes", recording.RingMegabytes, 16, 1_000_000);
        Range(errors, $"{at}:Recording:ContinuousClipSeconds", recording.ContinuousClipSeconds, recording.SegmentSeconds * 2, 3600);
        UploadPolicyRules.Check($"{at}:UploadPolicy", camera.UploadPolicy.Clips, camera.UploadPolicy.Rules, camera.UploadPolicy.Windows, errors);
        foreach (var (pluginId, settings) in camera.Plugins)
        {
            if (!Identifier.IsValid(pluginId))
            {
                errors.Add($"{at}:Plugins:{pluginId} is not a valid plugin id: {Identifier.Rule}.");
            }

            if (settings["Enabled"] is { } enabled && !bool.TryParse(enabled, out _))
            {
                errors.Add($"{at}:Plugins:{pluginId}:Enabled must be true or false (was '{enabled}').");
            }
        }
    }

    internal static void Range(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max} (was {value})."));
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
