using System.Globalization;

namespace CctvEdge.Plugins.Detection.Internal.Configuration;

/// <summary>Checks <see cref="DetectionSettings"/>; each failure names the setting, its value and the rule.</summary>
internal static class DetectionRules
{
    public const string OnnxBackend = "onnx";
    public const string HogBackend = "opencv-hog";
    private const int MaxZones = 32;
    private const int MaxPoints = 64;

    public static void Validate(DetectionSettings s)
    {
        var hog = string.Equals(s.Backend, HogBackend, StringComparison.OrdinalIgnoreCase);
        Check(hog || string.Equals(s.Backend, OnnxBackend, StringComparison.OrdinalIgnoreCase), nameof(s.Backend), s.Backend, $"'{OnnxBackend}' (a YOLO model) or '{HogBackend}' (OpenCV's people detector, linux-x64 only)");
        Check(hog || !string.IsNullOrWhiteSpace(s.ModelPath), nameof(s.ModelPath), s.ModelPath, "the path of a YOLO detection model exported to ONNX (none ships with CctvEdge)");
        Check(s.InputSize is >= 32 and <= 4096 && s.InputSize % 32 == 0, nameof(s.InputSize), s.InputSize, "a multiple of 32 between 32 and 4096");
        Check(s.ClassNames.All(n => !string.IsNullOrWhiteSpace(n)), nameof(s.ClassNames), string.Join(",", s.ClassNames), "names without blanks");
        Check(s.Labels.Count > 0 && s.Labels.All(n => !string.IsNullOrWhiteSpace(n)), nameof(s.Labels), string.Join(",", s.Labels), "at least one label, none blank");
        Check(s.MinScore is > 0 and <= 1, nameof(s.MinScore), s.MinScore, "above 0 and at most 1");
        foreach (var (label, score) in s.MinScores)
        {
            Check(score is > 0 and <= 1, $"{nameof(s.MinScores)}:{label}", score, "above 0 and at most 1");
        }

        Check(s.NmsIou is > 0 and <= 1, nameof(s.NmsIou), s.NmsIou, "above 0 and at most 1");
        Check(s.MinBoxAreaPercent is >= 0 and < 100, nameof(s.MinBoxAreaPercent), s.MinBoxAreaPercent, "between 0 and 100");
        ValidateZones(s);
        Check(s.IntrusionLabels.All(n => !string.IsNullOrWhiteSpace(n)), nameof(s.IntrusionLabels), string.Join(",", s.IntrusionLabels), "labels without blanks");
        Check(s.FrameWidth is >= 32 and <= 3840 && s.FrameWidth % 2 == 0, nameof(s.FrameWidth), s.FrameWidth, "an even number between 32 and 3840");
        Check(s.Fps is >= 0.1 and <= 30, nameof(s.Fps), s.Fps, "between 0.1 and 30");
        Check(s.EveryNthFrame is >= 1 and <= 1000, nameof(s.EveryNthFrame), s.EveryNthFrame, "between 1 and 1000");
        Check(!s.OnlyDuringMotion || !string.IsNullOrWhiteSpace(s.MotionPlugin), nameof(s.MotionPlugin), s.MotionPlugin, "the id of the motion plugin when OnlyDuringMotion is on");
        Check(s.TrackIou is > 0 and <= 1, nameof(s.TrackIou), s.TrackIou, "above 0 and at most 1");
        Check(s.MinFrames is >= 1 and <= 100, nameof(s.MinFrames), s.MinFrames, "between 1 and 100");
        Check(s.LostSeconds is >= 0.1 and <= 3600, nameof(s.LostSeconds), s.LostSeconds, "between 0.1 and 3600");
    }

    private static void ValidateZones(DetectionSettings s)
    {
        Check(s.Zones.Count <= MaxZones, nameof(s.Zones), s.Zones.Count + " zones", $"at most {MaxZones} zones");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < s.Zones.Count; i++)
        {
            var zone = s.Zones[i];
            var name = $"{nameof(s.Zones)}[{i}]";
            Check(!string.IsNullOrWhiteSpace(zone.Name) && names.Add(zone.Name), name + ".Name", zone.Name, "a name no other zone has");
            Check(zone.Points.Length is >= 3 and <= MaxPoints, name + ".Points", zone.Points.Length + " points", $"3 to {MaxPoints} points");
            for (var p = 0; p < zone.Points.Length; p++)
            {
                var point = zone.Points[p];
                Check(point is { Length: 2 } && point.All(v => v is >= 0 and <= 1), $"{name}.Points[{p}]", point is null ? null : "[" + string.Join(", ", point) + "]", "[x, y] with x and y fractions of the frame from 0 to 1");
            }
        }

        foreach (var required in s.RequiredZones)
        {
            Check(names.Contains(required), nameof(s.RequiredZones), required, "the name of one of the Zones");
        }
    }

    public static void Check(bool ok, string name, object? value, string rule)
    {
        if (!ok)
        {
            throw Invalid(name, $"must be {rule} (was {Format(value)})");
        }
    }

    public static DetectionSettingsException Invalid(string name, string problem) => new($"detection setting {name} {problem}.");

    private static string Format(object? value) => value switch
    {
        null => "nothing",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
