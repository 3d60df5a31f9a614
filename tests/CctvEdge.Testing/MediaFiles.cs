using System.Globalization;
using System.Text.Json;
using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>What ffprobe says of a video's first stream: the facts a timelapse or clip test checks.</summary>
public sealed record VideoProbe(string Codec, string PixelFormat, int Width, int Height, int Frames, double FramesPerSecond, double DurationSeconds);

/// <summary>Real JPEGs and MP4s made by ffmpeg (testsrc2), and ffprobe's reading of a video; each run waited for and stopped.</summary>
public static class MediaFiles
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary><paramref name="count"/> different JPEG pictures in <paramref name="directory"/>, in order.</summary>
    public static async Task<IReadOnlyList<string>> JpegsAsync(string directory, int count, int width = 320, int height = 240)
    {
        Directory.CreateDirectory(directory);
        await RunAsync("ffmpeg", directory, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Size($"testsrc2=size={width}x{height}:rate=5"),
            "-frames:v", count.ToString(CultureInfo.InvariantCulture), "-q:v", "5", Path.Combine(directory, "frame-%03d.jpg")).ConfigureAwait(false);
        return Enumerable.Range(1, count).Select(i => Path.Combine(directory, Size($"frame-{i:000}.jpg"))).ToList();
    }

    /// <summary>A faststart H.264 MP4 of <paramref name="seconds"/> at <paramref name="fps"/>, encoded like a camera's (no B-frames).</summary>
    /// <summary>People walking in a street: OpenCV's sample footage (Debian opencv-doc, which scripts/test.sh installs).</summary>
    public const string PeopleWalking = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> (inputs, filters, codecs) writing <paramref name="output"/>; fails on an error.</summary>
    public static Task FfmpegAsync(string output, params string[] arguments) =>
        RunAsync("ffmpeg", Path.GetDirectoryName(output)!, ["-hide_banner", "-loglevel", "error", "-y", .. arguments, output]);

    public static Task MakeClipAsync(string path, double seconds, int fps = 10) =>
        RunAsync("ffmpeg", Path.GetDirectoryName(path)!, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Size($"testsrc2=size=320x180:rate={fps}"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-bf", "0", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path);

    /// <summary>Counts the frames by decoding them (<c>-count_frames</c>), so a header that lies is caught.</summary>
    public static async Task<VideoProbe> ProbeAsync(string path)
    {
        var json = await RunAsync("ffprobe", Path.GetDirectoryName(path)!, "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,pix_fmt,width,height,nb_read_frames,avg_frame_rate:format=duration", "-of", "json", path).ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        var stream = document.RootElement.GetProperty("streams")[0];
        var rate = stream.GetProperty("avg_frame_rate").GetString()!.Split('/');
        return new VideoProbe(
            stream.GetProperty("codec_name").GetString()!,
            stream.GetProperty("pix_fmt").GetString()!,
            stream.GetProperty("width").GetInt32(),
            stream.GetProperty("height").GetInt32(),
            int.Parse(stream.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture),
            double.Parse(document.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the MP4's index (moov) comes before its media (mdat): what faststart means, so a browser plays before it has it all.</summary>
    public static bool IsFastStart(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[8];
        long position = 0;
        while (position + 8 <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header);
            var type = System.Text.Encoding.ASCII.GetString(header[4..]);
            if (type is "moov" or "mdat")
            {
                return type == "moov";
            }

            position += System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header);
        }

        return false;
    }

    private static async Task<string> RunAsync(string program, string directory, params string[] arguments)
    {
        await using var process = ChildProcess.Start(program, program, arguments, directory);
        var code = await process.WaitForExitAsync(Timeout).ConfigureAwait(false);
        return code == 0 ? process.Output : throw new InvalidOperationException($"{program} exited with {code}: {process.Output}");
    }

    private static string Size(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
