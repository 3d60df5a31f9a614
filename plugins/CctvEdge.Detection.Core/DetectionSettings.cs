using System.ComponentModel;
using CctvEdge.Plugins.Detection.Internal.Configuration;

namespace CctvEdge.Plugins.Detection;

/// <summary>
/// The detection plugin's settings for one camera (node config <c>Cameras:N:Plugins:detection</c>). Only
/// <see cref="ModelPath"/> has no default: no model ships with CctvEdge, the installer brings a YOLO export (or uses
/// <c>opencv-hog</c>, which needs none).
/// </summary>
public class DetectionSettings
{
    /// <summary>The backend: <c>onnx</c> (a YOLO model run by ONNX Runtime) or <c>opencv-hog</c> (OpenCV's people detector, linux-x64).</summary>
    [Description("onnx: a YOLO detection model run with ONNX Runtime; opencv-hog: OpenCV's built-in HOG people detector, no model needed (linux-x64 only).")]
    public string Backend { get; set; } = "onnx";

    /// <summary>The YOLO detection model (.onnx): YOLOv5 (output [1, N, 5+C]) or YOLOv8/YOLO11 (output [1, 4+C, N]).</summary>
    [Description("Path of a YOLOv5, YOLOv8 or YOLO11 detection model exported to ONNX (e.g. yolov8n.onnx).")]
    public string ModelPath { get; set; } = "";

    /// <summary>The model's input side when its export has a dynamic size; a fixed size in the model wins.</summary>
    public int InputSize { get; set; } = 640;

    /// <summary>The model's class names in output order; empty means the 80 COCO names (the stock exports').</summary>
    public List<string> ClassNames { get; set; } = [];

    /// <summary>The labels reported; others the model finds are ignored.</summary>
    public List<string> Labels { get; set; } = ["person", "car", "truck", "bus", "motorcycle", "bicycle"];

    /// <summary>The lowest score (0..1) a detection needs, unless <see cref="MinScores"/> names its label.</summary>
    public double MinScore { get; set; } = 0.5;

    /// <summary>Lowest scores per label, e.g. <c>{"person": 0.6, "car": 0.4}</c>.</summary>
    public Dictionary<string, double> MinScores { get; set; } = [];

    /// <summary>Boxes overlapping a better box of the same class by more than this (IoU) are dropped.</summary>
    public double NmsIou { get; set; } = 0.45;

    /// <summary>The smallest box that counts, in percent of the frame's area (a far-off speck is rarely worth an alert).</summary>
    public double MinBoxAreaPercent { get; set; } = 0.1;

    /// <summary>Named areas: polygons of [x, y] points, fractions (0..1) of the frame.</summary>
    public List<DetectionZone> Zones { get; set; } = [];

    /// <summary>When not empty, an object counts only when the bottom centre of its box (its feet) is in one of these zones.</summary>
    public List<string> RequiredZones { get; set; } = [];

    /// <summary>Alert types per label, for notification rules (S3's person, vehicle, intrusion).</summary>
    public Dictionary<string, string> AlertTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["person"] = "person",
        ["car"] = "vehicle",
        ["truck"] = "vehicle",
        ["bus"] = "vehicle",
        ["motorcycle"] = "vehicle",
    };

    /// <summary>The alert type added when an object of <see cref="IntrusionLabels"/> stands in a required zone; empty for none.</summary>
    public string IntrusionAlert { get; set; } = "intrusion";

    /// <summary>The labels that make an intrusion in a required zone.</summary>
    public List<string> IntrusionLabels { get; set; } = ["person"];

    /// <summary>The colour frames' width; their height follows the camera's aspect. Frames as wide as the model's input need no scaling.</summary>
    public int FrameWidth { get; set; } = 640;

    /// <summary>Colour frames per second taken from the camera.</summary>
    public double Fps { get; set; } = 2;

    /// <summary>Runs the model on every Nth colour frame (1: each one).</summary>
    public int EveryNthFrame { get; set; } = 1;

    /// <summary>Runs the model only while a motion event of <see cref="MotionPlugin"/> is open on the camera.</summary>
    public bool OnlyDuringMotion { get; set; }

    /// <summary>The plugin whose events mean motion, for <see cref="OnlyDuringMotion"/>.</summary>
    public string MotionPlugin { get; set; } = "motion";

    /// <summary>A box in the next frame overlapping an object's last box by at least this (IoU) is the same object.</summary>
    public double TrackIou { get; set; } = 0.3;

    /// <summary>Frames an object must be seen in before its event opens (one-frame false positives raise nothing).</summary>
    public int MinFrames { get; set; } = 2;

    /// <summary>Seconds an object may go unseen before its event ends.</summary>
    public double LostSeconds { get; set; } = 5;

    /// <summary>Throws a <see cref="DetectionSettingsException"/> naming the first bad value.</summary>
    public void Validate() => DetectionRules.Validate(this);
}

/// <summary>A named polygon in frame coordinates: each point is <c>[x, y]</c>, fractions (0..1) of the width and height.</summary>
public sealed class DetectionZone
{
    /// <summary>The zone's name, shown with events.</summary>
    public string Name { get; set; } = "";

    /// <summary>Three to 64 points, e.g. <c>[[0.1, 0.5], [0.9, 0.5], [0.9, 1], [0.1, 1]]</c>.</summary>
    public double[][] Points { get; set; } = [];
}
