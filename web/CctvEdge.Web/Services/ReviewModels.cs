using System.Globalization;

namespace CctvEdge.Web.Services;

/// <summary>A camera by its node; node-wide events (loss reports) have an empty camera id.</summary>
public sealed record CameraKey(string NodeId, string CameraId)
{
    /// <summary><c>node.camera</c>, as URLs and the export form write it.</summary>
    public override string ToString() => NodeId + "." + CameraId;

    public static CameraKey? Parse(string? text)
    {
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 ? new CameraKey(text![..dot], text[(dot + 1)..]) : null;
    }
}

/// <summary>What the events page shows: one day, narrowed by filters, optionally grouped.</summary>
public sealed record EventFilter
{
    public DateOnly Day { get; init; }

    /// <summary>Only the events of nodes in this site; null for every node.</summary>
    public string? Site { get; init; }

    public CameraKey? Camera { get; init; }

    public string? Kind { get; init; }

    public string? Zone { get; init; }

    /// <summary>Only events a detector labelled so (person, vehicle…), whatever the case.</summary>
    public string? Label { get; init; }

    public bool? Acknowledged { get; init; }

    public bool? Flagged { get; init; }

    /// <summary>Events of one camera and kind less than this apart become one row; 0 for no grouping.</summary>
    public int GroupGapSeconds { get; init; }
}

/// <summary>One row of the events list: an event, or nearby events of one camera grouped by the dwell gap.</summary>
public sealed record EventGroupView(
    IReadOnlyList<long> EventIds,
    string NodeId,
    string CameraId,
    string CameraName,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset? End,
    double Peak,
    IReadOnlyList<string> Zones,
    bool Acknowledged,
    bool Flagged,
    string? ClipId,
    string? ThumbnailUrl)
{
    /// <summary>What a detector saw in the row's events, best score first; empty for motion and the like.</summary>
    public IReadOnlyList<EventLabelView> Labels { get; init; } = [];

    /// <summary>The labels' boxes (one per object: an alert type sharing its object's box is not repeated), for the player.</summary>
    public IReadOnlyList<LabelBox> Boxes { get; init; } = [];

    public long FirstId => EventIds[0];

    public int Count => EventIds.Count;
}

public sealed record EventPage(IReadOnlyList<EventGroupView> Items, int Total);

public sealed record CameraOption(CameraKey Key, string Name)
{
    /// <summary>The key as text, for drop-downs.</summary>
    public string Value => Key.ToString();
}

/// <summary>What the filters offer for a day.</summary>
public sealed record DayOptions(IReadOnlyList<CameraOption> Cameras, IReadOnlyList<string> Kinds, IReadOnlyList<string> Zones, int Unacknowledged)
{
    /// <summary>The detection labels seen that day, lower case.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}

/// <summary>What a detector saw in an event (or a row's events): a label and its best score, 0..1.</summary>
public sealed record EventLabelView(string Label, double Score);

/// <summary>Where a label's object was seen at its best: x, y, width and height as fractions of the picture.</summary>
public sealed record LabelBox(string Label, double Score, double X, double Y, double Width, double Height);

/// <summary>A bar on the timeline: events close together merge into one bar at the timeline's resolution.</summary>
public sealed record TimelineBar(DateTimeOffset Start, DateTimeOffset End, int Count, long FirstEventId, string Kind);

public sealed record MotionPoint(DateTimeOffset At, double Value);

/// <summary>One camera's day: its events as bars and its motion magnitude under them.</summary>
public sealed record TimelineRow(CameraKey Camera, string Name, IReadOnlyList<TimelineBar> Bars, IReadOnlyList<MotionPoint> Motion)
{
    /// <summary>The sensors linked to the camera, one band each, so a vibration spike lines up with the motion it came with.</summary>
    public IReadOnlyList<SensorBand> Sensors { get; init; } = [];

    /// <summary>
    /// When the camera or its whole node was offline, overlapping the day: shaded behind the bars rather than drawn as
    /// events, so an outage is never taken for motion.
    /// </summary>
    public IReadOnlyList<TimelineOutage> Outages { get; init; } = [];

    /// <summary>Video the camera's node holds in its own store (fetchable on demand), as its node last reported.</summary>
    public IReadOnlyList<VideoSpan> OnNode { get; init; } = [];

    /// <summary>Video stored on the server (its clips), overlapping the day.</summary>
    public IReadOnlyList<VideoSpan> OnServer { get; init; } = [];
}

/// <summary>A stretch of recorded video.</summary>
public sealed record VideoSpan(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A span in which a camera could not see: its node's own camera-offline report, or the server's offline event for
/// the camera or (<paramref name="WholeNode"/>) its node. <paramref name="End"/> is null while it lasts; the start
/// may lie before the day.
/// </summary>
public sealed record TimelineOutage(long EventId, DateTimeOffset Start, DateTimeOffset? End, string Reason, bool WholeNode);

/// <summary>A sensor's main measurement over the timeline's day: min–max band and mean per point.</summary>
public sealed record SensorBand(string Sensor, string SensorName, string Name, string Unit, IReadOnlyList<SensorPoint> Points);

public sealed record DayTimeline(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<TimelineRow> Rows);

/// <summary>A clip as the player and the storage list show it.</summary>
public sealed record ClipView(
    string Id,
    string NodeId,
    string CameraId,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Size,
    string Sha256,
    string State,
    double? Fps,
    bool Flagged,
    string? ThumbnailUrl)
{
    /// <summary>Why the clip exists: <c>event</c>, <c>continuous</c>, <c>retrieval</c> or <c>timelapse</c> (made by the server from the day's stills).</summary>
    public string Reason { get; init; } = "";

    public string Url => $"/media/clips/{Id}.mp4";

    public string DownloadUrl => $"/media/clips/{Id}.mp4?download=true";
}

/// <summary>Everything the player needs: the event (when opened from one), its clips, its neighbours and the motion graph.</summary>
public sealed record PlayerModel(
    EventGroupView? Event,
    CameraKey Camera,
    string CameraName,
    IReadOnlyList<ClipView> Clips,
    long? PreviousEventId,
    long? NextEventId,
    IReadOnlyList<MotionPoint> Motion);

/// <summary>Query-string forms of filter values.</summary>
public static class FilterText
{
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static bool? ParseBool(string? text) => text switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };

    public static string? Bool(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        null => null,
    };
}
