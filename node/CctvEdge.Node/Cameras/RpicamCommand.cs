using System.Globalization;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The Raspberry Pi camera's reader: <c>rpicam-vid</c> (<c>libcamera-vid</c> before Bookworm) encodes H.264 on the Pi's
/// hardware and writes it to stdout, which the node pipes into ffmpeg (<see cref="PipedProcess"/>); ffmpeg copies it
/// into segments and decodes it for detection, as it does an IP camera's stream.
/// </summary>
internal static class RpicamCommand
{
    /// <summary>The programs tried in order when <see cref="CameraSourceOptions.Command"/> is empty.</summary>
    public static readonly string[] Candidates = ["rpicam-vid", "libcamera-vid"];

    /// <summary>The program to run: the configured one, else the first candidate found on PATH (else the first, to fail with its name).</summary>
    public static string Resolve(CameraSourceOptions source, string? path = null)
    {
        if (!string.IsNullOrWhiteSpace(source.Command))
        {
            return source.Command;
        }

        var directories = (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return Candidates.FirstOrDefault(c => directories.Any(d => File.Exists(System.IO.Path.Combine(d, c)))) ?? Candidates[0];
    }

    /// <param name="source">The camera's source.</param>
    /// <param name="segmentSeconds">Segment length: a keyframe comes at least this often, so segments can be cut there.</param>
    public static IReadOnlyList<string> Arguments(CameraSourceOptions source, double segmentSeconds)
    {
        var intra = Math.Max(1, (int)Math.Round(source.Fps * segmentSeconds));
        return
        [
            // -t 0: run until stopped; -n: no preview window; --inline: SPS/PPS before every keyframe, so any segment
            // starts decodable; --flush: each frame leaves at once rather than in 4 KiB blocks; --verbose 0: no line per
            // frame on stderr (errors still come).
            "-t", "0", "-n", "--codec", "h264", "--inline", "--flush", "--verbose", "0",
            "--camera", source.CameraIndex.ToString(CultureInfo.InvariantCulture),
            "--width", source.Width.ToString(CultureInfo.InvariantCulture),
            "--height", source.Height.ToString(CultureInfo.InvariantCulture),
            "--framerate", FfmpegArguments.Rate(source.Fps),
            "--intra", intra.ToString(CultureInfo.InvariantCulture),
            "--bitrate", (source.BitrateKbps * 1000L).ToString(CultureInfo.InvariantCulture),
            "-o", "-",
        ];
    }
}
