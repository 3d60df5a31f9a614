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
    public static IReadOnlyList<string> Build(CameraOptions camera, string snapshotPath)
    {
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "warning" };
        AddInput(args, camera.Source);

        var detect = camera.Detect;
        var graph = string.Create(CultureInfo.InvariantCulture,
            $"[0:v]split=2[d][s];" +
            $"[d]fps={Rate(detect.Fps)},scale={detect.Width}:{detect.Height}:flags=area,format=gray[gray];" +
            $"[s]fps={Rate(1 / camera.SnapshotSeconds)},scale='min({camera.SnapshotMaxWidth},iw)':-2[snap]");
        args.AddRange(["-filter_complex", graph]);
        args.AddRange(["-map", "[gray]", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]);
        args.AddRange(["-map", "[snap]", "-q:v", "5", "-f", "image2", "-update", "1", "-atomic_writing", "1", "-y", snapshotPath]);
        return args;
    }

    private static void AddInput(List<string> args, CameraSourceOptions source)
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
                // TCP survives lossy links better than UDP; the I/O timeout (µs) turns a dead camera into an exit.
                args.AddRange(["-rtsp_transport", "tcp", "-timeout", "10000000", "-i", source.Url]);
                break;
            default:
                throw new ArgumentException($"Unknown source kind '{source.Kind}'.", nameof(source));
        }
    }

    /// <summary>
    /// A test scene: colour bars, sensor-like noise, and a bright box that crosses the picture for 8 s out of every
    /// 20 s, so there is motion to detect and quiet time between events.
    /// </summary>
    internal static string SyntheticScene(CameraSourceOptions source) => string.Create(CultureInfo.InvariantCulture,
        $"smptehdbars=size={source.Width}x{source.Height}:rate={Rate(source.Fps)}," +
        $"drawbox=x=mod(t*iw/6\\,iw+ih/4)-ih/4:y=ih/2-ih/8+ih/16*sin(t):w=ih/4:h=ih/4:color=white@1:t=fill:enable=lt(mod(t\\,20)\\,8)," +
        $"noise=alls=6:allf=t");

    private static string Rate(double fps) => fps.ToString("0.######", CultureInfo.InvariantCulture);
}
