using CctvEdge.Node.Recording;
using CctvEdge.Node.Uplink.Policy;
using Microsoft.Extensions.Configuration;

namespace CctvEdge.Node.Cameras;

/// <summary>The <c>Cameras</c> section: a list of cameras.</summary>
internal sealed class CamerasOptions
{
    public const string Section = "Cameras";

    public List<CameraOptions> Items { get; } = [];

    /// <summary>The fleet hub's configuration version these cameras come from; 0 for the local config file.</summary>
    public ulong Version { get; set; }

    /// <summary>The section as JSON in the config file's shape (an array of camera entries), as the server keeps it.</summary>
    public string Json { get; set; } = "[]";
}

/// <summary>One camera: where its video comes from, how detection sees it, and the plugins that watch it.</summary>
internal sealed class CameraOptions
{
    /// <summary>Unique on the node: lower-case letters, digits and '-'.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>False keeps the camera configured but switched off: no ffmpeg, no plugins (the API's deactivate).</summary>
    public bool Enabled { get; set; } = true;

    public CameraSourceOptions Source { get; set; } = new();

    public DetectOptions Detect { get; set; } = new();

    /// <summary>Seconds between JPEG snapshots.</summary>
    public double SnapshotSeconds { get; set; } = 5;

    /// <summary>
    /// A camera that sends no frame for this long, its connection still open, is restarted and reported offline
    /// ("stalled"); also the time it has to send its first frame.
    /// </summary>
    public double StallSeconds { get; set; } = 10;

    /// <summary>
    /// Seconds between snapshots while a live grid shows the camera (the server asks for them); ffmpeg writes them at
    /// this pace all the time (a small JPEG a second) and the node sends only every <see cref="SnapshotSeconds"/>
    /// otherwise. Not above <see cref="SnapshotSeconds"/>.
    /// </summary>
    public double GridSnapshotSeconds { get; set; } = 1;

    /// <summary>How often ffmpeg writes a snapshot: the faster of the two paces.</summary>
    public double SnapshotWriteSeconds => Math.Min(SnapshotSeconds, GridSnapshotSeconds);

    /// <summary>Widest snapshot, in pixels; larger pictures are scaled down.</summary>
    public int SnapshotMaxWidth { get; set; } = 1280;

    /// <summary>How the camera's main stream is recorded into the ring buffer that clips are cut from.</summary>
    public RecordingOptions Recording { get; set; } = new();

    /// <summary>Which of this camera's clips go up by themselves; what it leaves out follows the node's <c>UploadPolicy</c>.</summary>
    public CameraUploadPolicyOptions UploadPolicy { get; set; } = new();

    /// <summary>Plugin id to that plugin's settings; <c>Enabled: false</c> turns a plugin off.</summary>
    public Dictionary<string, IConfigurationSection> Plugins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where this camera sits in the config, e.g. <c>Cameras:0</c>, for error messages.</summary>
    public string Path { get; set; } = "";

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;
}

/// <summary>Where a camera's video comes from.</summary>
internal sealed class CameraSourceOptions
{
    /// <summary>
    /// synthetic (a generated test picture), file (a video file played in a loop), rtsp (an IP camera), v4l2 (a USB
    /// camera), rpicam (the Raspberry Pi camera through rpicam-vid) or push (a camera that uploads JPEG pictures by FTP
    /// or HTTP when it sees motion).
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>rtsp: the stream URL, e.g. rtsp://user:pass@192.168.1.20:554/Streaming/Channels/101; the same as <see cref="MainUrl"/>.</summary>
    public string Url { get; set; } = "";

    /// <summary>rtsp: the main (full-resolution) stream, recorded as it comes; <see cref="Url"/> when empty.</summary>
    public string MainUrl { get; set; } = "";

    /// <summary>
    /// rtsp: an optional low-resolution sub-stream (e.g. Hikvision's channel 102) that detection and snapshots decode
    /// instead of the main stream, which is then only copied: decoding 4K on a Pi is what the sub-stream spares.
    /// </summary>
    public string SubUrl { get; set; } = "";

    /// <summary>rtsp: tcp (survives lossy links, the default) or udp (lower latency on a clean LAN).</summary>
    public string Transport { get; set; } = RtspTransports.Tcp;

    /// <summary>file: the video file.</summary>
    public string Path { get; set; } = "";

    /// <summary>v4l2: the video device.</summary>
    public string Device { get; set; } = "/dev/video0";

    /// <summary>
    /// v4l2: what the camera sends: h264 (recorded as it comes), mjpeg or yuyv422 (encoded for recording with
    /// <see cref="Encoder"/>).
    /// </summary>
    public string InputFormat { get; set; } = V4l2Formats.Mjpeg;

    /// <summary>rpicam: the program that reads the Pi camera; empty finds rpicam-vid, or libcamera-vid on older systems.</summary>
    public string Command { get; set; } = "";

    /// <summary>rpicam: which camera, for a Pi 5 with two.</summary>
    public int CameraIndex { get; set; }

    /// <summary>
    /// The H.264 encoder for sources that need encoding before they are recorded (synthetic, v4l2 MJPEG/YUYV):
    /// libx264 (software) or a hardware encoder such as h264_v4l2m2m on a Raspberry Pi.
    /// </summary>
    public string Encoder { get; set; } = "libx264";

    /// <summary>Bit rate of that encoding, in kbit/s.</summary>
    public int BitrateKbps { get; set; } = 2000;

    /// <summary>push: the folder the camera's pictures arrive in (an FTP server's upload folder); empty: &lt;data&gt;/inbox/&lt;camera id&gt;.</summary>
    public string Inbox { get; set; } = "";

    /// <summary>push: pictures further apart than this start a new burst (one event and one clip each).</summary>
    public double BurstGapSeconds { get; set; } = 5;

    /// <summary>
    /// synthetic: burn the wall clock into the picture as a row of black and white blocks along the top (bit k of the
    /// milliseconds since 1970 modulo 2^<see cref="FfmpegArguments.ClockBits"/>, least significant on the left), so a
    /// browser can read the capture time off the screen and measure live latency glass to glass.
    /// </summary>
    public bool Clock { get; set; }

    /// <summary>synthetic, v4l2, rpicam: picture width.</summary>
    public int Width { get; set; } = 1280;

    /// <summary>synthetic, v4l2, rpicam: picture height.</summary>
    public int Height { get; set; } = 720;

    /// <summary>synthetic, v4l2, rpicam: frame rate.</summary>
    public double Fps { get; set; } = 15;

    /// <summary>The stream that is recorded: <see cref="MainUrl"/>, else <see cref="Url"/>.</summary>
    public string RecordingUrl => string.IsNullOrWhiteSpace(MainUrl) ? Url : MainUrl;

    /// <summary>Whether detection reads a separate sub-stream.</summary>
    public bool HasSubStream => Kind == CameraSourceKinds.Rtsp && !string.IsNullOrWhiteSpace(SubUrl);

    /// <summary>Whether the recorded stream is encoded by the node rather than copied as the camera sent it.</summary>
    public bool NeedsEncoding => Kind switch
    {
        CameraSourceKinds.Synthetic => true,
        CameraSourceKinds.V4l2 => InputFormat != V4l2Formats.H264,
        _ => false,
    };
}

/// <summary>The gray frames the detection plugins see.</summary>
internal sealed class DetectOptions
{
    public int Width { get; set; } = 320;

    public int Height { get; set; } = 180;

    public double Fps { get; set; } = 5;
}

/// <summary>The source kinds the node knows.</summary>
internal static class CameraSourceKinds
{
    public const string Synthetic = "synthetic";
    public const string File = "file";
    public const string Rtsp = "rtsp";
    public const string V4l2 = "v4l2";
    public const string Rpicam = "rpicam";
    public const string Push = "push";

    public static readonly string[] All = [Synthetic, File, Rtsp, V4l2, Rpicam, Push];
}

/// <summary>How ffmpeg talks RTSP to a camera.</summary>
internal static class RtspTransports
{
    public const string Tcp = "tcp";
    public const string Udp = "udp";

    public static readonly string[] All = [Tcp, Udp];
}

/// <summary>The pixel formats a USB camera can be asked for (ffmpeg's v4l2 <c>-input_format</c> names).</summary>
internal static class V4l2Formats
{
    public const string H264 = "h264";
    public const string Mjpeg = "mjpeg";
    public const string Yuyv = "yuyv422";

    public static readonly string[] All = [H264, Mjpeg, Yuyv];
}
