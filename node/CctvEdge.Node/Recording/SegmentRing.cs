using System.Globalization;
using System.Text.RegularExpressions;
using CctvEdge.Node.Configuration;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Recording;

/// <summary>A finished segment of recorded video.</summary>
internal sealed record Segment(string Path, DateTimeOffset Start, DateTimeOffset End, long Size);

/// <summary>
/// The ring buffer of recorded segments of one camera. ffmpeg appends a line to the run's CSV list as each segment
/// completes; the ring reads new lines from there, so a segment still being written is never in it. Segments are
/// numbered, not named by the time (two segments cut within one second, as in the burst a camera sends while its
/// sub-stream is probed, would share a name and the later overwrite the earlier). Wall-clock times are the stream
/// offsets in the list plus the run's base: a segment's file is last written when it completes, so its modification
/// time minus its end offset is the base or later (never earlier: video arrives late, not early). The first segment
/// sets the run's base; a later one that shows it more than <see cref="Correction"/> earlier lowers it and moves the
/// run's segments with it, so a delayed start (a burst) does not shift the run for good, while the milliseconds of
/// write jitter never move a segment once it is known (back-to-back windows rely on stable times).
/// </summary>
internal sealed partial class SegmentRing(string directory, RecordingOptions options, TimeProvider clock, ILogger logger)
{
    /// <summary>How much earlier a segment must show the run's base to move the run.</summary>
    internal static readonly TimeSpan Correction = TimeSpan.FromSeconds(0.5);

    private readonly object _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly Dictionary<string, ListState> _lists = new(StringComparer.Ordinal);

    public string Directory => directory;

    public DateTimeOffset? LatestEnd
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count == 0 ? null : _segments.Max(s => s.End);
            }
        }
    }

    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _segments.Sum(s => s.Size);
            }
        }
    }

    public IReadOnlyList<Segment> Segments
    {
        get
        {
            lock (_gate)
            {
                return _segments.ToList();
            }
        }
    }

    /// <summary>Removes segment files no list names (cut short by a crash) and lists left without segments.</summary>
    public void SweepOrphans()
    {
        System.IO.Directory.CreateDirectory(directory);
        Refresh();
        lock (_gate)
        {
            var known = _segments.Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
            var current = CurrentList();
            foreach (var file in System.IO.Directory.GetFiles(directory, "seg-*.mp4"))
            {
                if (!known.Contains(file) && (current is null || !Path.GetFileName(file).StartsWith("seg-" + current.Value.RunId + "-", StringComparison.Ordinal)))
                {
                    File.Delete(file);
                }
            }
        }
    }

    /// <summary>Reads the segments completed since the last call.</summary>
    public void Refresh()
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var list in System.IO.Directory.GetFiles(directory, "segments-*.csv"))
            {
                ReadNewLines(list);
            }

            _segments.Sort((a, b) => a.Start.CompareTo(b.Start));
        }
    }

    /// <summary>The segments that overlap [start, end), in time order.</summary>
    public IReadOnlyList<Segment> Covering(DateTimeOffset start, DateTimeOffset end)
    {
        lock (_gate)
        {
            return _segments.Where(s => s.End > start && s.Start < end).ToList();
        }
    }

    /// <summary>The segments that start in [start, end): back-to-back windows share no segment.</summary>
    public IReadOnlyList<Segment> StartingIn(DateTimeOffset start, DateTimeOffset end)
    {
        lock (_gate)
        {
            return _segments.Where(s => s.Start >= start && s.Start < end).ToList();
        }
    }

    /// <summary>
    /// The video held, as runs of segments: segments closer than <paramref name="join"/> are one run (a restart of the
    /// camera's ffmpeg leaves a gap of a second or two). At most <paramref name="max"/> runs: beyond that, the closest
    /// neighbours are merged, so the list stays short even after days of outages.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Ranges(TimeSpan join, int max)
    {
        var ranges = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        lock (_gate)
        {
            foreach (var segment in _segments)
            {
                if (ranges.Count > 0 && segment.Start - ranges[^1].End <= join)
                {
                    ranges[^1] = (ranges[^1].Start, segment.End > ranges[^1].End ? segment.End : ranges[^1].End);
                }
                else
                {
                    ranges.Add((segment.Start, segment.End));
                }
            }
        }

        while (ranges.Count > max)
        {
            var closest = Enumerable.Range(1, ranges.Count - 1).MinBy(i => ranges[i].Start - ranges[i - 1].End);
            ranges[closest - 1] = (ranges[closest - 1].Start, ranges[closest].End);
            ranges.RemoveAt(closest);
        }

        return ranges;
    }

    /// <summary>
    /// Deletes the oldest segments beyond the ring's age and size limits, plus <paramref name="extraBytes"/> more when the
    /// disk guard asks, but never one that overlaps a <paramref name="pinned"/> window (a clip not yet cut).
    /// </summary>
    public long Evict(IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> pinned, long extraBytes = 0)
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromSeconds(options.RingSeconds);
        var limit = (long)options.RingMegabytes * 1024 * 1024;
        long freed = 0;
        lock (_gate)
        {
            var total = _segments.Sum(s => s.Size);
            foreach (var segment in _segments.ToList())
            {
                var mustGo = segment.End < cutoff || total > limit || freed < extraBytes;
                if (!mustGo)
                {
                    break;
                }

                if (pinned.Any(p => segment.End > p.Start && segment.Start < p.End))
                {
                    continue;
                }

                TryDelete(segment.Path);
                _segments.Remove(segment);
                total -= segment.Size;
                freed += segment.Size;
            }

            DeleteEmptyLists();
        }

        return freed;
    }

    private void ReadNewLines(string list)
    {
        if (!_lists.TryGetValue(list, out var state))
        {
            state = new ListState(RunPrefix(list));
            _lists[list] = state;
        }

        using var stream = new FileStream(list, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= state.Offset)
        {
            return;
        }

        stream.Position = state.Offset;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return;
        }

        // Only whole lines: ffmpeg may be halfway through writing the next one.
        state.Offset += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AddSegment(line, state);
        }
    }

    private void AddSegment(string line, ListState state)
    {
        var parts = line.Split(',');
        if (parts.Length < 3
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var end))
        {
            LogBadLine(logger, directory, line);
            return;
        }

        var path = Path.Combine(directory, Path.GetFileName(parts[0]));
        var info = new FileInfo(path);
        if (!info.Exists || end <= start)
        {
            return;
        }

        // Whole milliseconds, as clip windows are stored: a base with ticks below them would put a window's start a
        // hair inside the previous segment, and the clip would take it too.
        var written = info.LastWriteTimeUtc;
        var candidate = new DateTimeOffset(written.Ticks - (written.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero) - TimeSpan.FromSeconds(end);
        if (state.Base is { } known && known - candidate > Correction)
        {
            var earlier = known - candidate;
            for (var i = 0; i < _segments.Count; i++)
            {
                if (Path.GetFileName(_segments[i].Path).StartsWith(state.RunPrefix, StringComparison.Ordinal))
                {
                    _segments[i] = _segments[i] with { Start = _segments[i].Start - earlier, End = _segments[i].End - earlier };
                }
            }
        }

        if (state.Base is null || state.Base - candidate > Correction)
        {
            state.Base = candidate;
        }

        _segments.Add(new Segment(path, state.Base.Value + TimeSpan.FromSeconds(start), state.Base.Value + TimeSpan.FromSeconds(end), info.Length));
    }

    private (string Path, long RunId)? CurrentList() =>
        _lists.Keys.Select(p => (Path: p, RunId: RunIdOf(p))).Where(x => x.RunId >= 0).OrderByDescending(x => x.RunId).Select(x => ((string, long)?)x).FirstOrDefault();

    private void DeleteEmptyLists()
    {
        var current = CurrentList()?.Path;
        foreach (var list in _lists.Keys.ToList())
        {
            var runPrefix = RunPrefix(list);
            if (list != current && !_segments.Any(s => Path.GetFileName(s.Path).StartsWith(runPrefix, StringComparison.Ordinal)))
            {
                TryDelete(list);
                _lists.Remove(list);
            }
        }
    }

    /// <summary>How the names of a list's segments begin: <c>seg-&lt;run&gt;-</c>.</summary>
    private static string RunPrefix(string listPath) => "seg-" + RunIdOf(listPath).ToString(CultureInfo.InvariantCulture) + "-";

    private static long RunIdOf(string listPath)
    {
        var match = ListName().Match(Path.GetFileName(listPath));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            LogDeleteFailed(logger, path, ex.Message);
        }
    }

    [GeneratedRegex(@"^segments-(\d+)\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex ListName();

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Recording in {Directory}: unreadable segment list line '{Line}'.")]
    private static partial void LogBadLine(ILogger logger, string directory, string line);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Could not delete {Path}: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string error);

    /// <param name="runPrefix">How the names of the run's segments begin, so they move together when the base is lowered.</param>
    private sealed class ListState(string runPrefix)
    {
        public string RunPrefix { get; } = runPrefix;

        public long Offset { get; set; }

        public DateTimeOffset? Base { get; set; }
    }
}
