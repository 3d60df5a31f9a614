using System.Globalization;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Recording;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The ffmpeg command line for a camera. One process decodes the source once and writes two outputs: detection
/// frames (gray, downscaled, at the detection rate) as raw bytes on stdout, and a JPEG snapshot every few seconds,
/// replaced atomically so a reader never sees half a file. While a plugin asks for colour, a third output writes RGB24
/// frames to a Unix socket the node listens on (stdout is the gray frames'; a socket, unlike a FIFO, lets the node
/// wait for ffmpeg with a cancellable accept and see its end as end of stream).
/// </summary>
internal static class FfmpegArguments
{
    /// <summary>
    /// The segment file name pattern: numbered within the run (the segment ring times segments by the list's offsets,
    /// not by their names, so two cut within one second never share a name).
    /// </summary>
    public static string SegmentPattern(long runId) => $"seg-{runId}-%06d.mp4";

    /// <summary>The list ffmpeg appends a line to as each segment completes: name,start,end in stream seconds.</summary>
    public static string SegmentList(long runId) => $"segments-{runId}.csv";

    /// <param name="camera">The camera.</param>
    /// <param name="snapshotPath">Where the latest snapshot goes.</param>
    /// <param name="recordingDirectory">Where segments go; null when the camera does not record.</param>
    /// <param name="runId">Distinguishes this ffmpeg run's segment files and list from earlier runs'.</param>
    /// <param name="color">The colour output and the socket it goes to, or null for none.</param>
    public static IReadOnlyList<string> Build(CameraOptions camera, string snapshotPath, string? recordingDirectory = null, long runId = 0, (ColorOutput Output, string Socket)? color = null)
    {
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "warning" };
        var source = camera.Source;
        // Input 0 is what detection and snapshots decode: the sub-stream when there is one, else the source itself.
        AddInput(args, source, source.HasSubStream ? source.SubUrl : source.RecordingUrl);
        var recordSecondInput = recordingDirectory is not null && source.HasSubStream;
        if (recordSecondInput)
        {
            // Input 1, the main stream, is only ever copied: never decoded.
            AddInput(args, source, source.RecordingUrl);
        }

        var detect = camera.Detect;
        // A source with no H.264 stream to copy (the test picture, a USB camera's MJPEG) feeds a third branch that is
        // encoded like a camera.
        var encodeMain = recordingDirectory is not null && source.NeedsEncoding;
        var graph = string.Create(CultureInfo.InvariantCulture,
            $"[0:v]split={(encodeMain ? 3 : 2) + (color is null ? 0 : 1)}[d][s]{(encodeMain ? "[m]" : "")}{(color is null ? "" : "[c]")};" +
            $"[d]fps={Rate(detect.Fps)},scale={detect.Width}:{detect.Height}:flags=area,format=gray[gray];" +
            $"[s]fps={Rate(1 / camera.SnapshotWriteSeconds)},scale='min({camera.SnapshotMaxWidth},iw)':-2[snap]");
        if (color is ({ } rgb, _))
        {
            graph += string.Create(CultureInfo.InvariantCulture, $";[c]fps={Rate(rgb.Fps)},scale={rgb.Width}:{rgb.Height}:flags=area,format=rgb24[rgb]");
        }

        args.AddRange(["-filter_complex", graph]);
        args.AddRange(["-map", "[gray]", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]);
        if (color is (_, { } socket))
        {
            args.AddRange(["-map", "[rgb]", "-f", "rawvideo", "-pix_fmt", "rgb24", "unix:" + socket]);
        }

        args.AddRange(["-map", "[snap]", "-q:v", "5", "-f", "image2", "-update", "1", "-atomic_writing", "1", "-y", snapshotPath]);
        if (recordingDirectory is not null)
        {
            AddSegments(args, camera, recordingDirectory, runId, encodeMain ? null : recordSecondInput ? "1:v:0" : "0:v:0");
        }

        return args;
    }

    /// <summary>
    /// Fragmented MP4 segments (moov first, then self-contained fragments): a segment cut short by a crash still plays,
    /// unlike a faststart MP4, which is a stub until closed. Video only: camera audio (often G.711) does not fit MP4.
    /// </summary>
    /// <param name="copied">The input stream recorded as it comes, or null to record the encoded branch.</param>
    private static void AddSegments(List<string> args, CameraOptions camera, string directory, long runId, string? copied)
    {
        var seconds = camera.Recording.SegmentSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (copied is null)
        {
            args.AddRange(["-map", "[m]"]);
            AddEncoder(args, camera.Source, seconds);
        }
        else
        {
            args.AddRange(["-map", copied, "-c:v", "copy"]);
        }

        args.AddRange([
            "-f", "segment", "-segment_time", seconds, "-segment_format", "mp4",
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof" + LiveFragments(camera.Recording),
            "-reset_timestamps", "1",
            "-segment_list", Path.Combine(directory, SegmentList(runId)), "-segment_list_type", "csv",
            Path.Combine(directory, SegmentPattern(runId)),
        ]);
    }

    /// <summary>
    /// Fragments well under a GOP, each flushed as it completes (without flush_packets the file grows in 256 KiB
    /// steps), so live view can send the segment being written fragment by fragment.
    /// </summary>
    private static string LiveFragments(RecordingOptions recording) => recording.FragmentMilliseconds > 0
        ? string.Create(CultureInfo.InvariantCulture, $":frag_duration={recording.FragmentMilliseconds * 1000}:flush_packets=1")
        : "";

    /// <summary>
    /// A camera-like H.264 stream: no B-frames, a keyframe at every segment boundary (segments are cut on keyframes),
    /// the bit rate capped (the test picture's noise would otherwise take ~15 Mbit/s).
    /// </summary>
    private static void AddEncoder(List<string> args, CameraSourceOptions source, string segmentSeconds)
    {
        args.AddRange(["-c:v", source.Encoder]);
        if (source.Encoder == "libx264")
        {
            args.AddRange(["-preset", "ultrafast", "-tune", "zerolatency"]);
        }

        var rate = source.BitrateKbps.ToString(CultureInfo.InvariantCulture) + "k";
        args.AddRange(["-bf", "0", "-pix_fmt", "yuv420p", "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
            "-force_key_frames", $"expr:gte(t,n_forced*{segmentSeconds})"]);
    }

    /// <param name="url">rtsp: which of the camera's streams this input reads.</param>
    private static void AddInput(List<string> args, CameraSourceOptions source, string url)
    {
        switch (source.Kind)
        {
            case CameraSourceKinds.Synthetic:
                // -re paces the generator at real time, like a camera.
                args.AddRange(["-re", "-f", "lavfi", "-i", SyntheticScene(source)]);
                break;
            case CameraSourceKinds.File:
                args.AddRange(["-re", "-stream_loop", "-1", "-i", source.Path]);
                break;
            case CameraSourceKinds.Rtsp:
                // The I/O timeout (µs) turns a dead camera into an exit. Probing stops after 2 s instead of 5: the
                // video's parameters are known by then, and with a sub-stream both inputs are probed one after the other.
                // With two inputs each is read on its own thread through a queue: 8 packets (the default) fill up at
                // a main stream's keyframe and stall its reading.
                args.AddRange(["-rtsp_transport", source.Transport, "-timeout", "10000000", "-analyzeduration", "2000000", "-thread_queue_size", "512", "-i", url]);
                break;
            case CameraSourceKinds.V4l2:
                args.AddRange(["-f", "v4l2", "-input_format", source.InputFormat,
                    "-video_size", string.Create(CultureInfo.InvariantCulture, $"{source.Width}x{source.Height}"),
                    "-framerate", Rate(source.Fps), "-i", source.Device]);
                break;
            case CameraSourceKinds.Rpicam:
                // rpicam-vid's raw H.264 on stdin (see RpicamCommand): a bare stream has no timestamps, so they are
                // made from the frame rate.
                args.AddRange(["-f", "h264", "-framerate", Rate(source.Fps), "-fflags", "+genpts", "-i", "pipe:0"]);
                break;
            default:
                throw new ArgumentException($"Unknown source kind '{source.Kind}'.", nameof(source));
        }
    }

    /// <summary>
    /// A test scene: colour bars, sensor-like noise, and a bright box that crosses the picture for 8 s out of every
    /// 20 s, so there is motion to detect and quiet time between events. The box is overlaid rather than drawn: only
    /// overlay's position expressions know the time (in drawbox, <c>t</c> is the line thickness).
    /// </summary>
    internal static string SyntheticScene(CameraSourceOptions source)
    {
        var box = Math.Max(8, source.Height / 4);
        return string.Create(CultureInfo.InvariantCulture,
            $"smptehdbars=size={source.Width}x{source.Height}:rate={Rate(source.Fps)}[bars];" +
            $"color=c=white:size={box}x{box}:rate={Rate(source.Fps)}[box];" +
            $"[bars][box]overlay=x=mod(t*W/6\\,W+w)-w:y=H/2-h/2+H/16*sin(t):enable=lt(mod(t\\,20)\\,8):shortest=1," +
            $"noise=alls=6:allf=t") + (source.Clock ? BurnedClock(source) : "");
    }

    /// <summary>How many bits of the wall clock (ms) <see cref="CameraSourceOptions.Clock"/> burns in: 2^18 ms is 4 min 22 s.</summary>
    internal const int ClockBits = 18;

    /// <summary>
    /// The wall clock as blocks along the top of the picture. Only a filter's timeline (<c>enable</c>) sees the frame
    /// time, so the frame's time is set to the wall clock in ms (setpts' RTCTIME, read as the frame is made, which
    /// -re paces at capture time) for the drawboxes, then back to a steady frame count. After the noise: blocks stay
    /// clean enough to read after encoding.
    /// </summary>
    private static string BurnedClock(CameraSourceOptions source)
    {
        var width = source.Width / ClockBits;
        var height = Math.Max(8, source.Height / 16);
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $",settb=1/1000,setpts=floor(RTCTIME/1000),drawbox=x=0:y=0:w={width * ClockBits}:h={height}:color=black:t=fill"));
        for (var bit = 0; bit < ClockBits; bit++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $",drawbox=x={bit * width}:y=0:w={width}:h={height}:color=white:t=fill:enable=eq(mod(floor(t*1000/{1L << bit})\\,2)\\,1)");
        }

        return text.Append(",setpts=N/FR/TB").ToString();
    }

    internal static string Rate(double fps) => fps.ToString("0.######", CultureInfo.InvariantCulture);
}
