using CctvEdge.Plugins.Detection.Internal.Configuration;

namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>One label found in pictures: its best score and where (x, y, width, height as fractions of the picture).</summary>
internal sealed record LabelFinding(string Label, double Score, double[] Box);

/// <summary>
/// Labels for pictures that are not a stream (an event's snapshot, frames sampled from a clip): each object the rules
/// accept counts under its label and its alert types, and per label the best score over all pictures is kept with its
/// box. No tracking: the pictures may be seconds apart.
/// </summary>
internal sealed class PictureLabels(IObjectDetector detector, ObjectRules rules)
{
    private readonly List<DetectedObject> _found = [];
    private readonly List<string> _zones = [];

    /// <summary>
    /// Detects in an RGB24 picture and keeps in <paramref name="best"/> each label's best finding; true when a label
    /// was new or scored better.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> rgb, int width, int height, Dictionary<string, LabelFinding> best)
    {
        var improved = false;
        _found.Clear();
        detector.Detect(rgb, width, height, width * 3, _found);
        foreach (var detection in _found)
        {
            if (!rules.Accepts(detection, width, height, _zones))
            {
                continue;
            }

            var box = detection.Box;
            double[] fractions = [Round(box.X1 / width), Round(box.Y1 / height), Round(box.Width / width), Round(box.Height / height)];
            var label = rules.Label(detection.ClassId);
            var score = Round(detection.Score);
            improved |= Keep(best, new LabelFinding(label, score, fractions));
            foreach (var alert in rules.Alerts(label, _zones))
            {
                improved |= Keep(best, new LabelFinding(alert, score, fractions));
            }
        }

        return improved;
    }

    private static bool Keep(Dictionary<string, LabelFinding> best, LabelFinding finding)
    {
        if (best.TryGetValue(finding.Label, out var known) && known.Score >= finding.Score)
        {
            return false;
        }

        best[finding.Label] = finding;
        return true;
    }

    private static double Round(double value) => Math.Round(value, 4);
}
