namespace CctvEdge.Node.Cameras;

/// <summary>The <c>Ffmpeg</c> section.</summary>
internal sealed class FfmpegOptions
{
    public const string Section = "Ffmpeg";

    /// <summary>The ffmpeg executable: a name on PATH or a full path.</summary>
    public string Path { get; set; } = "ffmpeg";

    /// <summary>How long ffmpeg gets to quit after 'q' before it is killed.</summary>
    public double StopTimeoutSeconds { get; set; } = 3;

    /// <summary>First wait before restarting a failed camera, in seconds; doubles up to the maximum.</summary>
    public double RestartMinSeconds { get; set; } = 1;

    /// <summary>Longest wait before restarting a failed camera, in seconds.</summary>
    public double RestartMaxSeconds { get; set; } = 30;
}
