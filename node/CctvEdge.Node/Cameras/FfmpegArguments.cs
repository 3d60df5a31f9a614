using System.Globalization;
using CctvEdge.Node.Configuration;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The ffmpeg command line for a camera. One process decodes the source once and writes two outputs: detection
/// frames (gray, downscaled, at the detection rate) as raw bytes on stdout, and a JPEG snapshot every few seconds,
/// replaced atomically so a reader never sees half a file.
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
    public static IReadOnlyList<string> Build(CameraOptions camera, string snapshotPath, string? recordingDirectory = null, long runId = 0)
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
            $"[0:v]split={(encodeMain ? 3 : 2)}[d][s]{(encodeMain ? "[m]" : "")};" +
            $"[d]fps={Rate(detect.Fps)},scale={detect.Width}:{detect.Height}:flags=area,format=gray[gray];" +
            $"[s]fps={Rate(1 / camera.SnapshotWriteSeconds)},scale='min({camera.SnapshotMaxWidth},iw)':-2[snap]");
        args.AddRange(["-filter_complex", graph]);
        args.AddRange(["-map", "[gray]", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]);
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
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
            "-reset_timestamps", "1",
            "-segment_list", Path.Combine(directory, SegmentList(runId)), "-segment_list_type", "csv",
            Path.Combine(directory, SegmentPattern(runId)),
        ]);
    }

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
            $"noise=alls=6:allf=t");
    }

    internal static string Rate(double fps) => fps.ToString("0.######", CultureInfo.InvariantCulture);
}
