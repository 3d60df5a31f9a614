using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Internal.Configuration;

/// <summary>
/// What of the model's findings counts, from the settings: the label must be reported, score its label's minimum,
/// the box big enough, and with required zones its bottom centre (where the object stands, as Frigate judges it)
/// inside one. Also names the zones an object stands in and its alert types.
/// </summary>
internal sealed class ObjectRules
{
    private readonly IReadOnlyList<string> _classNames;
    private readonly HashSet<string> _labels;
    private readonly Dictionary<string, double> _minScores;
    private readonly double _minScore;
    private readonly double _minAreaFraction;
    private readonly IReadOnlyList<ZonePolygon> _zones;
    private readonly HashSet<string> _required;
    private readonly Dictionary<string, string> _alerts;
    private readonly string _intrusion;
    private readonly HashSet<string> _intrusionLabels;

    public ObjectRules(DetectionSettings s, IReadOnlyList<string> classNames)
    {
        _classNames = classNames;
        _labels = new HashSet<string>(s.Labels, StringComparer.OrdinalIgnoreCase);
        _minScores = new Dictionary<string, double>(s.MinScores, StringComparer.OrdinalIgnoreCase);
        _minScore = s.MinScore;
        _minAreaFraction = s.MinBoxAreaPercent / 100;
        _zones = [.. s.Zones.Select(z => new ZonePolygon(z.Name, z.Points))];
        _required = new HashSet<string>(s.RequiredZones, StringComparer.OrdinalIgnoreCase);
        _alerts = new Dictionary<string, string>(s.AlertTypes, StringComparer.OrdinalIgnoreCase);
        _intrusion = s.IntrusionAlert;
        _intrusionLabels = new HashSet<string>(s.IntrusionLabels, StringComparer.OrdinalIgnoreCase);
        var unknown = s.Labels.Concat(s.MinScores.Keys).Where(l => !classNames.Contains(l, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw DetectionRules.Invalid(nameof(s.Labels), $"names {string.Join(", ", unknown.Select(l => $"'{l}'"))}, which the model's classes do not have ({string.Join(", ", classNames.Take(10))}{(classNames.Count > 10 ? ", ..." : "")})");
        }
    }

    /// <summary>The lowest score any label accepts: candidates below it are dropped before NMS.</summary>
    public float LowestScore => (float)_minScores.Values.Append(_minScore).Min();

    public string Label(int classId) => classId < _classNames.Count ? _classNames[classId] : $"class{classId}";

    /// <summary>Whether the detection counts on a frame of this size; <paramref name="zones"/> gets the zones it stands in.</summary>
    public bool Accepts(DetectedObject detection, int frameWidth, int frameHeight, List<string> zones)
    {
        zones.Clear();
        var label = Label(detection.ClassId);
        if (!_labels.Contains(label) || detection.Score < _minScores.GetValueOrDefault(label, _minScore))
        {
            return false;
        }

        var box = detection.Box;
        if (box.Area < _minAreaFraction * frameWidth * frameHeight)
        {
            return false;
        }

        var (footX, footY) = (((box.X1 + box.X2) / 2) / frameWidth, box.Y2 / frameHeight);
        foreach (var zone in _zones)
        {
            if (zone.Contains(footX, footY))
            {
                zones.Add(zone.Name);
            }
        }

        return _required.Count == 0 || zones.Any(_required.Contains);
    }

    /// <summary>The alert types of an object of <paramref name="label"/> standing in <paramref name="zones"/>.</summary>
    public IReadOnlyList<string> Alerts(string label, IEnumerable<string> zones)
    {
        var alerts = new List<string>(2);
        if (_alerts.TryGetValue(label, out var alert) && alert.Length > 0)
        {
            alerts.Add(alert);
        }

        if (_intrusion.Length > 0 && _intrusionLabels.Contains(label) && zones.Any(_required.Contains))
        {
            alerts.Add(_intrusion);
        }

        return alerts;
    }
}
