namespace CctvEdge.Node.Recording;

/// <summary>
/// Recording: ffmpeg copies the camera's main stream (no transcoding; the synthetic source is encoded) into short
/// fragmented MP4 segments in a ring buffer on the node's disk. Clips are cut from the ring.
/// </summary>
internal sealed class RecordingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Target segment length; ffmpeg cuts on the next keyframe after it.</summary>
    public double SegmentSeconds { get; set; } = 2;

    /// <summary>
    /// Each segment is written as fragments of about this length (plus one at every keyframe), flushed to disk as
    /// each completes, so live view can send a fragment as soon as it exists instead of waiting for the whole
    /// segment. 0: fragments only at keyframes, and live view sends whole completed segments (the old, slower path,
    /// about a segment length plus a second behind).
    /// </summary>
    public int FragmentMilliseconds { get; set; } = 200;

    /// <summary>How much video the ring keeps; clips can reach back this far.</summary>
    public double RingSeconds { get; set; } = 300;

    /// <summary>The ring's size limit on disk.</summary>
    public int RingMegabytes { get; set; } = 512;

    /// <summary>Record everything: cut and upload back-to-back clips of <see cref="ContinuousClipSeconds"/>.</summary>
    public bool Continuous { get; set; }

    public double ContinuousClipSeconds { get; set; } = 60;
}
