using System.Globalization;
using System.Text.RegularExpressions;
using CctvEdge.Node.Configuration;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Recording;

/// <summary>A finished segment of recorded video.</summary>
internal sealed record Segment(string Path, DateTimeOffset Start, DateTimeOffset End, long Size);

/// <summary>
/// The ring buffer of recorded segments of one camera. ffmpeg appends a line to the run's CSV list as each segment
/// completes; the ring reads new lines from there, so a segment still being written is never in it. Wall-clock
/// times come from the first segment's name (UTC) plus the stream offsets in the list.
/// </summary>
internal sealed partial class SegmentRing(string directory, RecordingOptions options, TimeProvider clock, ILogger logger)
{
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
            state = new ListState();
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
        if (state.Base is null)
        {
            if (NameTime(parts[0]) is not { } named)
            {
                LogBadLine(logger, directory, line);
                return;
            }

            state.Base = named - TimeSpan.FromSeconds(start);
        }

        var info = new FileInfo(path);
        if (info.Exists && end > start)
        {
            _segments.Add(new Segment(path, state.Base.Value + TimeSpan.FromSeconds(start), state.Base.Value + TimeSpan.FromSeconds(end), info.Length));
        }
    }

    private (string Path, long RunId)? CurrentList() =>
        _lists.Keys.Select(p => (Path: p, RunId: RunIdOf(p))).Where(x => x.RunId >= 0).OrderByDescending(x => x.RunId).Select(x => ((string, long)?)x).FirstOrDefault();

    private void DeleteEmptyLists()
    {
        var current = CurrentList()?.Path;
        foreach (var list in _lists.Keys.ToList())
        {
            var runPrefix = "seg-" + RunIdOf(list) + "-";
            if (list != current && !_segments.Any(s => Path.GetFileName(s.Path).StartsWith(runPrefix, StringComparison.Ordinal)))
            {
                TryDelete(list);
                _lists.Remove(list);
            }
        }
    }

    private static long RunIdOf(string listPath)
    {
        var match = ListName().Match(Path.GetFileName(listPath));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    internal static DateTimeOffset? NameTime(string name)
    {
        var match = SegmentName().Match(Path.GetFileName(name));
        return match.Success && DateTime.TryParseExact(match.Groups[1].Value, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
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

    [GeneratedRegex(@"^seg-\d+-(\d{8}T\d{6})\.mp4$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentName();

    [GeneratedRegex(@"^segments-(\d+)\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex ListName();

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Recording in {Directory}: unreadable segment list line '{Line}'.")]
    private static partial void LogBadLine(ILogger logger, string directory, string line);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Could not delete {Path}: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string error);

    private sealed class ListState
    {
        public long Offset { get; set; }

        public DateTimeOffset? Base { get; set; }
    }
}
