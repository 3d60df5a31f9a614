using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications.Reports;

/// <summary>One camera's day: events by kind, the highest peak, and the clip bytes it stored.</summary>
internal sealed record ReportCamera(string NodeName, string CameraName, IReadOnlyDictionary<string, long> EventsByKind, double MaxPeak, long ClipBytes, long Clips)
{
    public long Events => EventsByKind.Values.Sum();
}

/// <summary>A node that is not connected now, and when it was last heard from.</summary>
internal sealed record ReportOfflineNode(string Name, DateTimeOffset LastSeen);

/// <summary>One measurement series over the day (a sensor's temperature, a camera's motion): its range and mean.</summary>
internal sealed record ReportReading(string NodeName, string CameraName, string Name, string Unit, double Min, double Max, double Mean, long Count);

/// <summary>
/// The daily report for one local day: what each camera saw and stored, the disks and how soon they fill, the nodes
/// that are offline when it is written, and the range of every measurement.
/// </summary>
internal sealed record DailyReport(
    DateOnly Day,
    DateTimeOffset WrittenAt,
    IReadOnlyList<ReportCamera> Cameras,
    IReadOnlyList<DiskForecast> Disks,
    IReadOnlyList<ReportOfflineNode> OfflineNodes,
    IReadOnlyList<ReportReading> Readings)
{
    public long Events => Cameras.Sum(c => c.Events);

    public long ClipBytes => Cameras.Sum(c => c.ClipBytes);
}
