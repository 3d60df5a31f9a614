using CctvEdge.Plugins.Detection;
using CctvEdge.Plugins.Detection.Internal.Configuration;

namespace CctvEdge.Processors.Detection;

/// <summary>
/// Settings of central detection (<c>Processors:Settings:detection</c>): the node plugin's detector settings
/// (<see cref="DetectionSettings"/>: backend, model, labels, scores, zones, alert types; the node-only frame rate and
/// tracking ones are ignored) and which cameras' uploads to look at.
/// </summary>
public sealed class CentralDetectionSettings : DetectionSettings
{
    /// <summary>The cameras to detect for, as <c>node/camera</c>; <c>node/*</c> takes all of a node's. None by default.</summary>
    public List<string> Cameras { get; set; } = [];

    /// <summary>The node plugins whose event pictures are looked at (motion's snapshot of each motion event).</summary>
    public List<string> Plugins { get; set; } = ["motion"];

    /// <summary>Frames per second sampled from an uploaded clip of an event.</summary>
    public double ClipFramesPerSecond { get; set; } = 1;

    /// <summary>At most this many frames of one clip are looked at.</summary>
    public int MaxClipFrames { get; set; } = 30;

    /// <summary>Throws a <see cref="DetectionSettingsException"/> naming the first bad value.</summary>
    public new void Validate()
    {
        DetectionRules.Validate(this);
        foreach (var camera in Cameras)
        {
            DetectionRules.Check(CameraSelection.IsValid(camera), nameof(Cameras), camera, "node/camera or node/* for each camera");
        }

        DetectionRules.Check(Plugins.Count > 0 && Plugins.All(p => !string.IsNullOrWhiteSpace(p)), nameof(Plugins), string.Join(",", Plugins), "at least one node plugin id, none blank");
        DetectionRules.Check(ClipFramesPerSecond is >= 0.05 and <= 10, nameof(ClipFramesPerSecond), ClipFramesPerSecond, "between 0.05 and 10");
        DetectionRules.Check(MaxClipFrames is >= 0 and <= 600, nameof(MaxClipFrames), MaxClipFrames, "between 0 (clips are not looked at) and 600");
    }
}
