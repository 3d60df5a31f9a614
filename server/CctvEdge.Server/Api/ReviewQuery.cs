using System.Text.Json;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The events page and the player, over the event and clip stores.</summary>
internal sealed partial class ReviewQuery(EventQueries events, OutageQueries outages, ClipQueries clips, ClipStore store, NodeStore nodes, RetrievalStore retrievals, ISensorQuery sensors, ILogger<ReviewQuery> logger) : IReviewQuery
{
    /// <summary>Points of a day's motion graph: one per three minutes, about two pixels each.</summary>
    private const int DayMotionPoints = 480;

    /// <summary>Points of the player's motion graph over its clips.</summary>
    private const int PlayerMotionPoints = 600;

    /// <summary>Events closer than this merge into one bar: about a pixel of a day-wide timeline.</summary>
    private static readonly TimeSpan BarResolution = TimeSpan.FromMinutes(1);

    public async Task<DayOptions> GetDayOptionsAsync(DateOnly day, string? site, CancellationToken cancellationToken)
    {
        var (fromMs, toMs) = StoreTerms.Millis(day);
        var (kinds, zones, labels, unacknowledged) = await events.DayOptionsAsync(fromMs, toMs, site, cancellationToken).ConfigureAwait(false);
        return new DayOptions(await CamerasAsync(site, cancellationToken).ConfigureAwait(false), kinds, zones, unacknowledged) { Labels = labels };
    }

    public async Task<EventPage> GetEventsAsync(EventFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        var (rows, total) = await events.PageAsync(filter.ToQuery(), skip, take, cancellationToken).ConfigureAwait(false);
        return new EventPage(rows.Select(ToView).ToList(), (int)total);
    }

    public async Task<DayTimeline> GetTimelineAsync(EventFilter filter, CancellationToken cancellationToken)
    {
        var (start, end) = LocalDay.Bounds(filter.Day);
        var dayOutages = await outages.OverlappingAsync(start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), filter.Site, filter.Camera?.ToRef(), cancellationToken).ConfigureAwait(false);
        // Outages are shaded, not drawn as bars: a bar reads as something seen, and an outage is the opposite.
        var outageIds = dayOutages.Select(o => o.Id).ToHashSet();
        var spans = (await events.SpansAsync(filter.ToQuery(), cancellationToken).ConfigureAwait(false))
            .Where(s => !outageIds.Contains(s.Id))
            .ToLookup(s => new CameraKey(s.NodeId, s.CameraId));
        var cameras = (await CamerasAsync(filter.Site, cancellationToken).ConfigureAwait(false)).Where(c => filter.Camera is null || c.Key == filter.Camera).ToList();
        var bucket = (end - start).TotalMilliseconds / DayMotionPoints;
        var rows = new List<TimelineRow>();
        var linked = (await sensors.ListAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Camera.Length > 0 && s.State != "removed").ToLookup(s => new CameraKey(s.Node, s.Camera));
        foreach (var camera in cameras)
        {
            var motion = camera.Key.CameraId.Length == 0
                ? []
                : await MotionAsync(camera.Key, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), (long)bucket, cancellationToken).ConfigureAwait(false);
            var bars = Bars(spans[camera.Key]);
            var bands = new List<SensorBand>();
            foreach (var sensor in linked[camera.Key])
            {
                if (await sensors.ReadingsAsync(sensor.Node, sensor.Id, start, end, cancellationToken).ConfigureAwait(false) is { } readings
                    && MainSeries(readings.Series) is { } main)
                {
                    bands.Add(new SensorBand(sensor.Id, sensor.Name, main.Name, main.Unit, main.Points));
                }
            }

            // A camera whose node was down all day has nothing else to show, and that is exactly what the row must say.
            var shaded = TimelineOutages.For(dayOutages, camera.Key);
            var (onNode, onServer) = await VideoAsync(camera.Key, start, end, cancellationToken).ConfigureAwait(false);
            if (bars.Count > 0 || motion.Count > 0 || bands.Count > 0 || shaded.Count > 0 || onNode.Count > 0 || onServer.Count > 0)
            {
                rows.Add(new TimelineRow(camera.Key, camera.Name, bars, motion) { Sensors = bands, Outages = shaded, OnNode = onNode, OnServer = onServer });
            }
        }

        return new DayTimeline(start, end, rows);
    }

    /// <summary>
    /// The camera's video over the day: what its node holds (as it last reported) and what the server stores (its
    /// clips), each as runs with gaps of up to <see cref="VideoSpans.Join"/> closed.
    /// </summary>
    private async Task<(IReadOnlyList<VideoSpan> OnNode, IReadOnlyList<VideoSpan> OnServer)> VideoAsync(CameraKey camera, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (camera.CameraId.Length == 0)
        {
            return ([], []);
        }

        var held = await retrievals.RecordedAsync(camera.NodeId, camera.CameraId, cancellationToken).ConfigureAwait(false) ?? [];
        var stored = (await clips.OverlappingAsync(camera.ToRef(), start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false))
            .Where(c => c.State == ClipStore.Stored)
            .Select(c => (DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs)));
        return (VideoSpans.Within(held, start, end), VideoSpans.Within(stored, start, end));
    }

    /// <summary>
    /// The one measurement a timeline row has room for: vibration for an accelerometer (what a camera's motion is
    /// compared with), else temperature, else the first with readings that day.
    /// </summary>
    internal static SensorSeries? MainSeries(IReadOnlyList<SensorSeries> series) =>
        series.Where(s => s.Points.Count > 0).OrderBy(s => s.Name switch { "vibration.rms" => 0, "temperature" => 1, _ => 2 }).ThenBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault();

    public async Task<PlayerModel?> GetEventPlayerAsync(long eventId, CancellationToken cancellationToken)
    {
        if (await events.FindAsync(eventId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return null;
        }

        var camera = new CameraKey(row.NodeId, row.CameraId);
        var shown = await clips.OverlappingAsync(camera.ToRef(), row.StartMs, row.StopMs, cancellationToken).ConfigureAwait(false);
        var (previous, next) = await events.NeighboursAsync(camera.ToRef(), row.StartMs, eventId, cancellationToken).ConfigureAwait(false);
        return await PlayerAsync(ToView(row), camera, row.CameraName, shown, previous, next, row.StartMs, row.StopMs, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlayerModel?> GetClipPlayerAsync(string clipId, CancellationToken cancellationToken)
    {
        if (!ClipIds.IsValid(clipId) || await clips.FindAsync(clipId, cancellationToken).ConfigureAwait(false) is not { } clip)
        {
            return null;
        }

        var camera = new CameraKey(clip.NodeId, clip.CameraId);
        var name = (await CamerasAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Key == camera)?.Name ?? clip.CameraId;
        // Id 0: the previous event is the last that starts before the clip, the next the first that starts with or after it.
        var (previous, next) = await events.NeighboursAsync(camera.ToRef(), clip.StartMs, 0, cancellationToken).ConfigureAwait(false);
        return await PlayerAsync(null, camera, name, [clip], previous, next, clip.StartMs, clip.EndMs, cancellationToken).ConfigureAwait(false);
    }

    public static EventGroupView ToView(EventGroupRow row) => new(
        row.Ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).Order().ToList(),
        row.NodeId,
        row.CameraId,
        row.CameraName,
        row.Kind,
        DateTimeOffset.FromUnixTimeMilliseconds(row.StartMs),
        row.Open ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.StopMs),
        row.Peak,
        (JsonSerializer.Deserialize<List<List<string>>>(row.ZonesJson) ?? []).SelectMany(z => z).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        row.Acknowledged,
        row.Flagged,
        row.ClipId,
        row.ThumbnailId is { } thumbnail ? $"/media/files/{thumbnail}" : null)
    {
        Labels = DetectionLabels.OfRow(row.LabelsJson),
        Boxes = DetectionLabels.BoxesOfRow(row.LabelsJson),
    };

    public static ClipView ToView(ClipListRow clip) => new(
        clip.Id,
        clip.NodeId,
        clip.CameraId,
        DateTimeOffset.FromUnixTimeMilliseconds(clip.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(clip.EndMs),
        clip.Size,
        Convert.ToHexStringLower(clip.Sha256),
        clip.State,
        clip.Fps,
        clip.Flagged,
        clip.ThumbnailId is { } thumbnail ? $"/media/files/{thumbnail}" : null)
    {
        Reason = clip.Reason,
    };

    /// <summary>Merges a camera's event spans (sorted by kind, then start) into bars per kind at the timeline's resolution.</summary>
    internal static IReadOnlyList<TimelineBar> Bars(IEnumerable<EventSpanRow> spans)
    {
        var bars = new List<TimelineBar>();
        var gap = (long)BarResolution.TotalMilliseconds;
        foreach (var kind in spans.GroupBy(s => s.Kind))
        {
            EventSpanRow? first = null;
            long start = 0, stop = 0;
            var count = 0;
            foreach (var span in kind.OrderBy(s => s.StartMs))
            {
                if (first is not null && span.StartMs - stop > gap)
                {
                    bars.Add(Bar(first, start, stop, count));
                    first = null;
                }

                if (first is null)
                {
                    (first, start, stop, count) = (span, span.StartMs, span.StopMs, 0);
                }

                stop = Math.Max(stop, span.StopMs);
                count++;
            }

            if (first is not null)
            {
                bars.Add(Bar(first, start, stop, count));
            }
        }

        return bars.OrderBy(b => b.Start).ToList();

        static TimelineBar Bar(EventSpanRow first, long start, long stop, int count) =>
            new(DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(stop), count, first.Id, first.Kind);
    }

    private async Task<PlayerModel> PlayerAsync(EventGroupView? shownEvent, CameraKey camera, string name, IReadOnlyList<ClipListRow> shown, long? previous, long? next, long startMs, long stopMs, CancellationToken cancellationToken)
    {
        var views = new List<ClipView>();
        foreach (var clip in shown)
        {
            views.Add(ToView(clip with { Fps = clip.Fps ?? await FrameRateAsync(clip, cancellationToken).ConfigureAwait(false) }));
        }

        var from = Math.Min(startMs, shown.Count > 0 ? shown.Min(c => c.StartMs) : startMs);
        var to = Math.Max(stopMs, shown.Count > 0 ? shown.Max(c => c.EndMs) : stopMs) + 1;
        var motion = camera.CameraId.Length == 0 ? [] : await MotionAsync(camera, from, to, Math.Max(1000, (to - from) / PlayerMotionPoints), cancellationToken).ConfigureAwait(false);
        return new PlayerModel(shownEvent, camera, name, views, previous, next, motion);
    }

    /// <summary>Reads a stored clip's frame rate from its file the first time anyone plays it, and keeps it.</summary>
    private async Task<double?> FrameRateAsync(ClipListRow clip, CancellationToken cancellationToken)
    {
        if (clip.State != ClipStore.Stored || clip.Path is null)
        {
            return null;
        }

        try
        {
            // A clip in a bucket is copied down once for this (the rate is kept in its row afterwards).
            await using var local = await store.LocalCopyAsync(clip.Path, cancellationToken).ConfigureAwait(false);
            if (Mp4FrameRate.Read(local.Path) is { } fps)
            {
                await clips.SetFpsAsync(clip.Id, fps, cancellationToken).ConfigureAwait(false);
                return fps;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogFrameRateUnreadable(logger, clip.Id, ex.Message);
        }

        return null;
    }

    private async Task<IReadOnlyList<MotionPoint>> MotionAsync(CameraKey camera, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken) =>
        (await events.MotionAsync(camera.ToRef(), fromMs, toMs, bucketMs, cancellationToken).ConfigureAwait(false))
            .Select(p => new MotionPoint(DateTimeOffset.FromUnixTimeMilliseconds(p.AtMs), p.Value))
            .ToList();

    /// <summary>Every camera of one site's nodes (or of all), and each node's node-wide events (loss reports) as a camera of its own.</summary>
    private async Task<IReadOnlyList<CameraOption>> CamerasAsync(string? site, CancellationToken cancellationToken)
    {
        var nodeRows = (await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => site is null || n.Site == site).ToList();
        var cameraRows = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).Where(c => nodeRows.Any(n => n.Id == c.NodeId));
        var names = nodeRows.ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        return cameraRows.Select(c => new CameraOption(new CameraKey(c.NodeId, c.Id), $"{c.Name} ({names.GetValueOrDefault(c.NodeId, c.NodeId)})"))
            .Concat(nodeRows.Select(n => new CameraOption(new CameraKey(n.Id, ""), $"{n.Name} (node)")))
            .ToList();
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Clip {ClipId}: frame rate unreadable ({Error}); the player steps at its default rate.")]
    private static partial void LogFrameRateUnreadable(ILogger logger, string clipId, string error);
}
