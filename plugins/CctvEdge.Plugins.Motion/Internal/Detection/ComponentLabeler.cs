using System.Numerics;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Internal.Detection;

/// <summary>
/// Connected components (8-connectivity, like OpenCV's default) on a bit image, by runs: each row's runs of set bits
/// are found a word at a time (empty words cost one compare), joined with the touching runs of the row above through
/// union-find, and measured. Components outside the area limits are dropped. The run table starts small and doubles
/// when a frame needs more, up to the worst case (every other pixel set): a frame allocates only when it has more runs
/// than any frame before it, so labelling in the steady state never allocates.
/// </summary>
internal sealed class ComponentLabeler
{
    // Runs a table starts with: 40 bytes each, so 40 KiB, well under the large object heap's 85 000 bytes. A cleaned-up
    // mask (after opening and closing) of real motion has a few runs per row at most; the worst-case table taken up
    // front (a run every other pixel) was 1.1 MB per camera at 320x180 and 4.6 MB at 640x360, on the large object
    // heap, zeroed and so resident, for frames that never come (issue 16).
    internal const int InitialRuns = 1024;
    private readonly BitLayout _layout;
    private readonly int _maxRuns;
    private Run[] _runs;
    private MotionBlob[] _blobs;
    private int _runCount;
    private int _blobCount;

    public ComponentLabeler(BitLayout layout)
    {
        _layout = layout;
        _maxRuns = layout.Height * ((layout.Width + 1) / 2);
        _runs = new Run[Math.Min(InitialRuns, _maxRuns)];
        _blobs = new MotionBlob[16];
    }

    /// <summary>The components of the last <see cref="Label"/> that passed the limits, largest first.</summary>
    public ReadOnlySpan<MotionBlob> Blobs => _blobs.AsSpan(0, _blobCount);

    /// <summary>Makes room for as many blobs as the smallest accepted area allows; called when settings change.</summary>
    public void Reserve(int minArea)
    {
        var most = Math.Min(_maxRuns, (_layout.Pixels / Math.Max(minArea, 1)) + 1);
        if (_blobs.Length < most)
        {
            _blobs = new MotionBlob[most];
        }
    }

    /// <summary>Forgets the last frame's blobs (a frame with nothing changed).</summary>
    public void Clear() => _blobCount = 0;

    /// <summary>Labels <paramref name="bits"/>; returns the pixels in accepted components.</summary>
    public int Label(ReadOnlySpan<ulong> bits, int minArea, int maxArea, ReadOnlySpan<ulong[]> zones)
    {
        _runCount = 0;
        int previousStart = 0, previousEnd = 0;
        for (var y = 0; y < _layout.Height; y++)
        {
            var rowStart = _runCount;
            FindRuns(bits.Slice(y * _layout.WordsPerRow, _layout.WordsPerRow), y);
            JoinWithRowAbove(previousStart, previousEnd, rowStart, _runCount);
            (previousStart, previousEnd) = (rowStart, _runCount);
        }

        var moving = CollectBlobs(minArea, maxArea);
        if (zones.Length > 0 && _blobCount > 0)
        {
            MarkZones(zones);
        }

        _blobs.AsSpan(0, _blobCount).Sort();
        return moving;
    }

    private void FindRuns(ReadOnlySpan<ulong> row, int y)
    {
        var start = -1;
        for (var w = 0; w < row.Length; w++)
        {
            var word = row[w];
            var bit = 0;
            while (bit < 64)
            {
                // Inside a run look for the next clear bit, outside it for the next set one.
                var rest = (start < 0 ? word : ~word) >> bit;
                if (rest == 0)
                {
                    break;
                }

                bit += BitOperations.TrailingZeroCount(rest);
                if (start < 0)
                {
                    start = (w * 64) + bit;
                }
                else
                {
                    Add(start, (w * 64) + bit - 1, y);
                    start = -1;
                }
            }
        }

        if (start >= 0)
        {
            Add(start, _layout.Width - 1, y);
        }
    }

    private void Add(int start, int end, int y)
    {
        if (_runCount == _runs.Length)
        {
            Array.Resize(ref _runs, Math.Min(_runs.Length * 2, _maxRuns));
        }

        _runs[_runCount] = new Run { Start = start, End = end, Row = y, Parent = _runCount++, Area = end - start + 1, MinX = start, MaxX = end, MinY = y, MaxY = y };
    }

    /// <summary>Runs the table now has room for (grows with the busiest frame so far).</summary>
    internal int RunCapacity => _runs.Length;

    private void JoinWithRowAbove(int i, int aboveEnd, int j, int rowEnd)
    {
        while (i < aboveEnd && j < rowEnd)
        {
            ref var above = ref _runs[i];
            ref var run = ref _runs[j];
            if (above.End + 1 < run.Start)
            {
                i++;
            }
            else if (run.End + 1 < above.Start)
            {
                j++;
            }
            else
            {
                Union(i, j);
                if (above.End < run.End)
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }
        }
    }

    private int Find(int i)
    {
        while (_runs[i].Parent != i)
        {
            _runs[i].Parent = _runs[_runs[i].Parent].Parent;
            i = _runs[i].Parent;
        }

        return i;
    }

    private void Union(int a, int b)
    {
        int rootA = Find(a), rootB = Find(b);
        if (rootA == rootB)
        {
            return;
        }

        // The older run stays the root and takes the other's measurements.
        var (root, child) = rootA < rootB ? (rootA, rootB) : (rootB, rootA);
        ref var r = ref _runs[root];
        ref readonly var c = ref _runs[child];
        r.Area += c.Area;
        r.MinX = Math.Min(r.MinX, c.MinX);
        r.MaxX = Math.Max(r.MaxX, c.MaxX);
        r.MinY = Math.Min(r.MinY, c.MinY);
        r.MaxY = Math.Max(r.MaxY, c.MaxY);
        _runs[child].Parent = root;
    }

    private int CollectBlobs(int minArea, int maxArea)
    {
        _blobCount = 0;
        var moving = 0;
        for (var i = 0; i < _runCount; i++)
        {
            ref var run = ref _runs[i];
            run.Blob = -1;
            if (run.Parent != i || run.Area < minArea || run.Area > maxArea || _blobCount == _blobs.Length)
            {
                continue;
            }

            run.Blob = _blobCount;
            _blobs[_blobCount++] = new MotionBlob(run.MinX, run.MinY, run.MaxX - run.MinX + 1, run.MaxY - run.MinY + 1, run.Area, 0);
            moving += run.Area;
        }

        return moving;
    }

    private void MarkZones(ReadOnlySpan<ulong[]> zones)
    {
        for (var i = 0; i < _runCount; i++)
        {
            var blob = _runs[Find(i)].Blob;
            if (blob < 0)
            {
                continue;
            }

            ref readonly var run = ref _runs[i];
            var touched = _blobs[blob].Zones;
            for (var z = 0; z < zones.Length; z++)
            {
                if ((touched & (1UL << z)) == 0 && Touches(zones[z].AsSpan(run.Row * _layout.WordsPerRow, _layout.WordsPerRow), run.Start, run.End))
                {
                    touched |= 1UL << z;
                }
            }

            _blobs[blob] = _blobs[blob] with { Zones = touched };
        }
    }

    private static bool Touches(ReadOnlySpan<ulong> row, int start, int end)
    {
        for (var w = start >> 6; w <= end >> 6; w++)
        {
            var mask = ~0UL;
            if (w == start >> 6)
            {
                mask &= ~0UL << (start & 63);
            }

            if (w == end >> 6)
            {
                mask &= ~0UL >> (63 - (end & 63));
            }

            if ((row[w] & mask) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private struct Run
    {
        public int Start, End, Row, Parent, Area, MinX, MaxX, MinY, MaxY, Blob;
    }
}
