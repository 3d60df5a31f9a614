using CctvEdge.Harness;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Recording;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

public sealed class SegmentRingTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Refresh_ListGrowsLineByLine_TakesOnlyWholeLinesWithWallClockTimes()
    {
        var ring = NewRing(new RecordingOptions());
        Segment("seg-1-000000.mp4", 100, T0.AddSeconds(2));
        Segment("seg-1-000001.mp4", 100, T0.AddSeconds(4));
        File.WriteAllText(_temp.Combine("segments-1.csv"), "seg-1-000000.mp4,0.000000,2.000000\nseg-1-000001.mp4,2.000000,4.0");

        ring.Refresh();
        Assert.Single(ring.Segments);

        File.AppendAllText(_temp.Combine("segments-1.csv"), "00000\n");
        ring.Refresh();

        Assert.Equal([T0, T0.AddSeconds(2)], ring.Segments.Select(s => s.Start));
        Assert.Equal(T0.AddSeconds(4), ring.LatestEnd);
    }

    [Fact]
    public void Evict_OverSizeLimit_DeletesOldestButNeverAPinnedSegment()
    {
        var ring = NewRing(new RecordingOptions { RingMegabytes = 16, RingSeconds = 1_000_000 });
        var lines = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var name = $"seg-1-{i:000000}.mp4";
            Segment(name, 6 * 1024 * 1024, T0.AddSeconds((i * 2) + 2));
            lines.Add($"{name},{i * 2}.0,{(i * 2) + 2}.0");
        }

        File.WriteAllLines(_temp.Combine("segments-1.csv"), lines);
        ring.Refresh();

        var freed = ring.Evict([(T0, T0.AddSeconds(1))]);

        // 30 MB against 16: the pinned first segment stays, so the next three go and 12 MB remain.
        Assert.Equal(3 * 6 * 1024 * 1024, freed);
        Assert.Equal([T0, T0.AddSeconds(8)], ring.Segments.Select(s => s.Start));
        Assert.True(File.Exists(_temp.Combine("seg-1-000000.mp4")));
        Assert.False(File.Exists(_temp.Combine("seg-1-000001.mp4")));
    }

    [Fact]
    public void Refresh_FirstSegmentsArriveLate_TheRunMovesBackToTheEarliestBaseTogether()
    {
        // A camera's first seconds held while its sub-stream was probed: the first two segments complete at once, 3 s
        // late; the third on time shows the run's true base, and the first two move back with it.
        var ring = NewRing(new RecordingOptions());
        Segment("seg-1-000000.mp4", 100, T0.AddSeconds(5));
        Segment("seg-1-000001.mp4", 100, T0.AddSeconds(5));
        File.WriteAllText(_temp.Combine("segments-1.csv"), "seg-1-000000.mp4,0.0,1.0\nseg-1-000001.mp4,1.0,2.0\n");
        ring.Refresh();
        Assert.Equal([T0.AddSeconds(3), T0.AddSeconds(4)], ring.Segments.Select(s => s.Start));

        Segment("seg-1-000002.mp4", 100, T0.AddSeconds(3.02));
        File.AppendAllText(_temp.Combine("segments-1.csv"), "seg-1-000002.mp4,2.0,3.0\n");
        ring.Refresh();

        var late = TimeSpan.FromMilliseconds(20);
        Assert.Equal([T0 + late, T0.AddSeconds(1) + late, T0.AddSeconds(2) + late], ring.Segments.Select(s => s.Start));
        Assert.Equal(T0.AddSeconds(3) + late, ring.LatestEnd);

        // Write jitter (a segment 10 ms earlier than the base says) moves nothing already known.
        Segment("seg-1-000003.mp4", 100, T0.AddSeconds(4.01));
        File.AppendAllText(_temp.Combine("segments-1.csv"), "seg-1-000003.mp4,3.0,4.0\n");
        ring.Refresh();
        Assert.Equal(T0 + late, ring.Segments[0].Start);
        Assert.Equal(T0.AddSeconds(3) + late, ring.Segments[3].Start);
    }

    [Fact]
    public void Refresh_SegmentsCutWithinOneSecond_EachKeepsItsOwnFile()
    {
        var ring = NewRing(new RecordingOptions());
        for (var i = 0; i < 3; i++)
        {
            Segment($"seg-1-{i:000000}.mp4", 100 + i, T0.AddSeconds(0.9));
            File.AppendAllText(_temp.Combine("segments-1.csv"), $"seg-1-{i:000000}.mp4,{i * 0.3:0.0},{(i + 1) * 0.3:0.0}\n");
        }

        ring.Refresh();

        Assert.Equal([100L, 101, 102], ring.Segments.Select(s => s.Size));
        Assert.Equal(3, ring.Segments.Select(s => s.Path).Distinct().Count());
    }

    [Fact]
    public void Ranges_SegmentsCloserThanTheJoinAreOneRun_BeyondTheMaximumTheClosestRunsMerge()
    {
        var ring = NewRing(new RecordingOptions());
        // Runs: 0-4 s (two segments), a 3 s gap, 7-9 s, a 60 s gap, 69-71 s, a 10 s gap, 81-83 s.
        var lines = new List<string>();
        foreach (var (i, start) in new[] { (0, 0), (1, 2), (2, 7), (3, 69), (4, 81) })
        {
            Segment($"seg-1-{i:000000}.mp4", 10, T0.AddSeconds(start + 2));
            lines.Add($"seg-1-{i:000000}.mp4,{start}.0,{start + 2}.0");
        }

        File.WriteAllLines(_temp.Combine("segments-1.csv"), lines);
        ring.Refresh();

        Assert.Equal([(T0, T0.AddSeconds(4)), (T0.AddSeconds(7), T0.AddSeconds(9)), (T0.AddSeconds(69), T0.AddSeconds(71)), (T0.AddSeconds(81), T0.AddSeconds(83))],
            ring.Ranges(TimeSpan.FromSeconds(1), 10));
        Assert.Equal([(T0, T0.AddSeconds(9)), (T0.AddSeconds(69), T0.AddSeconds(83))], ring.Ranges(TimeSpan.FromSeconds(1), 2));
        Assert.Equal([(T0, T0.AddSeconds(9)), (T0.AddSeconds(69), T0.AddSeconds(71)), (T0.AddSeconds(81), T0.AddSeconds(83))], ring.Ranges(TimeSpan.FromSeconds(5), 10));
    }

    [Fact]
    public void SweepOrphans_FileNoListNames_Deleted()
    {
        var ring = NewRing(new RecordingOptions());
        Segment("seg-1-000000.mp4", 10, T0.AddSeconds(2));
        Segment("seg-1-000001.mp4", 10, T0.AddSeconds(4));
        File.WriteAllText(_temp.Combine("segments-1.csv"), "seg-1-000000.mp4,0.0,2.0\n");
        Segment("seg-2-000000.mp4", 10, T0.AddSeconds(10));
        File.WriteAllText(_temp.Combine("segments-2.csv"), "");

        ring.SweepOrphans();

        Assert.True(File.Exists(_temp.Combine("seg-1-000000.mp4")));
        Assert.False(File.Exists(_temp.Combine("seg-1-000001.mp4")));
        Assert.True(File.Exists(_temp.Combine("seg-2-000000.mp4")), "the current run's segment being written must stay");
    }

    public void Dispose() => _temp.Dispose();

    private SegmentRing NewRing(RecordingOptions options) => new(_temp.Path, options, new FakeTimeProvider(T0.AddSeconds(30)), NullLogger.Instance);

    /// <summary>A segment file as ffmpeg leaves it: last written when the segment completed.</summary>
    private void Segment(string name, int size, DateTimeOffset completed)
    {
        File.WriteAllBytes(_temp.Combine(name), new byte[size]);
        File.SetLastWriteTimeUtc(_temp.Combine(name), completed.UtcDateTime);
    }
}
