namespace CctvEdge.Web.Services;

/// <summary>
/// A node's sensor as the sensors page and <c>GET /api/sensors</c> show it: what the node said of it, each measurement's
/// unit and latest value, when it was last heard of, and whether that is too long ago.
/// </summary>
public sealed record SensorView(
    string Node,
    string Id,
    string Name,
    string Kind,
    string Plugin,
    string Camera,
    string State,
    string Error,
    IReadOnlyDictionary<string, string> Units,
    IReadOnlyDictionary<string, double> Last,
    DateTimeOffset? LastSeen,
    bool Stale);

/// <summary>One bucket of a series: the lowest, mean and highest value of its readings.</summary>
public sealed record SensorPoint(DateTimeOffset At, double Min, double Avg, double Max);

/// <summary>One measurement of a sensor over a range.</summary>
public sealed record SensorSeries(string Name, string Unit, IReadOnlyList<SensorPoint> Points);

/// <summary>A sensor's readings over [From, To), at the resolution the range needs: raw, minute or hour.</summary>
public sealed record SensorReadings(string Node, string Sensor, DateTimeOffset From, DateTimeOffset To, string Resolution, IReadOnlyList<SensorSeries> Series);

/// <summary>The range a measurement must stay in (either bound may be open) and how long it may leave it before an event.</summary>
public sealed record SensorThreshold(string Name, double? Min, double? Max, int SustainSeconds);

/// <summary>Reads sensors and their readings for the sensors and overview pages.</summary>
public interface ISensorQuery
{
    Task<IReadOnlyList<SensorView>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Null when the node has no such sensor.</summary>
    Task<SensorReadings?> ReadingsAsync(string node, string sensor, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task<IReadOnlyList<SensorThreshold>> ThresholdsAsync(string node, string sensor, CancellationToken cancellationToken);
}

/// <summary>Changes a sensor's thresholds from the sensors page: admins only (checked by the server, not just hidden).</summary>
public interface ISensorThresholds
{
    /// <summary>Replaces the sensor's thresholds; null when saved, else why not.</summary>
    Task<string?> SaveAsync(string node, string sensor, IReadOnlyList<SensorThreshold> thresholds, CancellationToken cancellationToken);
}
