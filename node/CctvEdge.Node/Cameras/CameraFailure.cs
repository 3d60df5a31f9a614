using System.Text.RegularExpressions;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// Why a camera stopped, in words an installer acts on, from what ffmpeg wrote on stderr: connection refused,
/// unauthorized, unreachable, timed out, not found, a local camera missing or busy; ffmpeg's own last lines follow. Credentials in a URL
/// (<c>rtsp://user:password@host</c>) never leave this class: every text is redacted before it is logged or reported.
/// </summary>
internal static partial class CameraFailure
{
    private static readonly (Regex Pattern, string Reason)[] Reasons =
    [
        (new Regex("401|Unauthorized|authorization failed", RegexOptions.IgnoreCase), "unauthorized: check the camera's user and password"),
        (new Regex("Connection refused", RegexOptions.IgnoreCase), "connection refused: is the camera on, and is the port right?"),
        (new Regex("No route to host|Network is unreachable|Name or service not known|Host is unreachable", RegexOptions.IgnoreCase), "camera unreachable: check its address and the network"),
        (new Regex("timed out|Connection timeout", RegexOptions.IgnoreCase), "connection timed out"),
        // Before "not found": a missing Pi camera's rpicam error is the cause even when ffmpeg then fails to find its input.
        (new Regex("no cameras available|failed to acquire camera|Device or resource busy", RegexOptions.IgnoreCase), "camera not found or busy: is it connected, enabled and used by nothing else?"),
        (new Regex("404|Not Found|No such file or directory", RegexOptions.IgnoreCase), "stream not found: check the URL's path or the file"),
        (new Regex("Permission denied", RegexOptions.IgnoreCase), "permission denied: is the node's user in the video group?"),
    ];

    /// <summary>The reason for an ffmpeg that ended with <paramref name="exitCode"/> after writing <paramref name="stderr"/>.</summary>
    public static string Describe(int exitCode, string stderr)
    {
        var errors = Redact(stderr);
        var reason = Reasons.FirstOrDefault(r => r.Pattern.IsMatch(errors)).Reason;
        var exit = $"ffmpeg exited with code {exitCode}" + (errors.Length > 0 ? ": " + errors : ".");
        return reason is null ? exit : $"{reason} ({exit})";
    }

    /// <summary>The text with any URL password replaced by ***.</summary>
    public static string Redact(string text) => Credentials().Replace(text, "$1$2:***@");

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^:/@\s]*):([^@\s]*)@")]
    private static partial Regex Credentials();
}
