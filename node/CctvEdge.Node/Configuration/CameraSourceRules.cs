using System.Text.RegularExpressions;
using CctvEdge.Node.Cameras;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// What each source kind needs to be valid, checked at start so a typo stops the node with the key named rather
/// than leaving a camera that fails forever. Messages never repeat a URL's password.
/// </summary>
internal static partial class CameraSourceRules
{
    public static void Rtsp(CameraSourceOptions source, string at, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(source.Url) && string.IsNullOrWhiteSpace(source.MainUrl))
        {
            errors.Add($"{at}:MainUrl (or {at}:Url) is required for an rtsp source.");
        }

        RtspUrl(source.Url, $"{at}:Url", errors);
        RtspUrl(source.MainUrl, $"{at}:MainUrl", errors);
        RtspUrl(source.SubUrl, $"{at}:SubUrl", errors);
        if (!RtspTransports.All.Contains(source.Transport, StringComparer.Ordinal))
        {
            errors.Add($"{at}:Transport '{source.Transport}' is not one of {string.Join(", ", RtspTransports.All)}.");
        }
    }

    public static void V4l2(CameraSourceOptions source, string at, List<string> errors)
    {
        if (!source.Device.StartsWith("/dev/", StringComparison.Ordinal) || source.Device.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{at}:Device '{source.Device}' must be a device under /dev, e.g. /dev/video0.");
        }

        if (!V4l2Formats.All.Contains(source.InputFormat, StringComparer.Ordinal))
        {
            errors.Add($"{at}:InputFormat '{source.InputFormat}' is not one of {string.Join(", ", V4l2Formats.All)}.");
        }

        PictureSize(source, at, errors);
        if (source.NeedsEncoding)
        {
            Encoding(source, at, errors);
        }
    }

    public static void Rpicam(CameraSourceOptions source, string at, List<string> errors)
    {
        PictureSize(source, at, errors);
        NodeConfigurationValidator.Range(errors, $"{at}:CameraIndex", source.CameraIndex, 0, 7);
        NodeConfigurationValidator.Range(errors, $"{at}:BitrateKbps", source.BitrateKbps, 100, 50_000);
    }

    /// <summary>The inbox is watched and emptied by the node, so it must be a folder of its own, never / or a system folder.</summary>
    public static void Push(CameraSourceOptions source, string at, List<string> errors)
    {
        if (source.Inbox.Length > 0)
        {
            var full = System.IO.Path.IsPathFullyQualified(source.Inbox) ? System.IO.Path.GetFullPath(source.Inbox) : null;
            if (full is null || source.Inbox.Contains("..", StringComparison.Ordinal))
            {
                errors.Add($"{at}:Inbox '{source.Inbox}' must be an absolute folder path without '..', e.g. /srv/cctvedge/inbox/gate.");
            }
            else if (full.TrimEnd('/').Count(c => c == '/') < 2)
            {
                errors.Add($"{at}:Inbox '{source.Inbox}' is a top-level folder; the node deletes what it takes from the inbox, so give the camera a folder of its own, e.g. /srv/cctvedge/inbox/gate.");
            }
        }

        NodeConfigurationValidator.Range(errors, $"{at}:BurstGapSeconds", source.BurstGapSeconds, 0.5, 3600);
    }

    public static void PictureSize(CameraSourceOptions source, string at, List<string> errors)
    {
        NodeConfigurationValidator.Range(errors, $"{at}:Width", source.Width, 16, 7680);
        NodeConfigurationValidator.Range(errors, $"{at}:Height", source.Height, 16, 4320);
        NodeConfigurationValidator.Range(errors, $"{at}:Fps", source.Fps, 1, 120);
    }

    /// <summary>The encoder is an ffmpeg codec name: it goes on ffmpeg's command line, so nothing but a name.</summary>
    public static void Encoding(CameraSourceOptions source, string at, List<string> errors)
    {
        if (!EncoderName().IsMatch(source.Encoder))
        {
            errors.Add($"{at}:Encoder '{source.Encoder}' is not an ffmpeg encoder name such as libx264 or h264_v4l2m2m.");
        }

        NodeConfigurationValidator.Range(errors, $"{at}:BitrateKbps", source.BitrateKbps, 100, 50_000);
    }

    private static void RtspUrl(string url, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps") || uri.Host.Length == 0)
        {
            errors.Add($"{key} '{CameraFailure.Redact(url)}' must be an rtsp:// address.");
        }
    }

    [GeneratedRegex("^[a-z0-9_]{2,40}$")]
    private static partial Regex EncoderName();
}
