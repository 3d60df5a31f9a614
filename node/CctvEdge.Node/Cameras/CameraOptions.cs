using CctvEdge.Node.Recording;
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

    /// <summary>Plugin id to that plugin's settings; <c>Enabled: false</c> turns a plugin off.</summary>
    public Dictionary<string, IConfigurationSection> Plugins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where this camera sits in the config, e.g. <c>Cameras:0</c>, for error messages.</summary>
    public string Path { get; set; } = "";

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;
}

/// <summary>Where a camera's video comes from.</summary>
internal sealed class CameraSourceOptions
{
    /// <summary>synthetic (a generated test picture), file (a video file played in a loop) or rtsp (an IP camera).</summary>
    public string Kind { get; set; } = "";

    /// <summary>rtsp: the stream URL, e.g. rtsp://user:pass@192.168.1.20:554/Streaming/Channels/101.</summary>
    public string Url { get; set; } = "";

    /// <summary>file: the video file.</summary>
    public string Path { get; set; } = "";

    /// <summary>synthetic: picture width.</summary>
    public int Width { get; set; } = 1280;

    /// <summary>synthetic: picture height.</summary>
    public int Height { get; set; } = 720;

    /// <summary>synthetic: frame rate.</summary>
    public double Fps { get; set; } = 15;
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

    public static readonly string[] All = [Synthetic, File, Rtsp];
}
