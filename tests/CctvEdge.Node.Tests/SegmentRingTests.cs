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
        Segment("seg-1-20261121T060000.mp4", 100);
        Segment("seg-1-20261121T060002.mp4", 100);
        File.WriteAllText(_temp.Combine("segments-1.csv"), "seg-1-20261121T060000.mp4,0.000000,2.000000\nseg-1-20261121T060002.mp4,2.000000,4.0");

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
            var name = $"seg-1-20261121T0600{i * 2:00}.mp4";
            Segment(name, 6 * 1024 * 1024);
            lines.Add($"{name},{i * 2}.0,{(i * 2) + 2}.0");
        }

        File.WriteAllLines(_temp.Combine("segments-1.csv"), lines);
        ring.Refresh();

        var freed = ring.Evict([(T0, T0.AddSeconds(1))]);

        // 30 MB against 16: the pinned first segment stays, so the next three go and 12 MB remain.
        Assert.Equal(3 * 6 * 1024 * 1024, freed);
        Assert.Equal([T0, T0.AddSeconds(8)], ring.Segments.Select(s => s.Start));
        Assert.True(File.Exists(_temp.Combine("seg-1-20261121T060000.mp4")));
        Assert.False(File.Exists(_temp.Combine("seg-1-20261121T060002.mp4")));
    }

    [Fact]
    public void SweepOrphans_FileNoListNames_Deleted()
    {
        var ring = NewRing(new RecordingOptions());
        Segment("seg-1-20261121T060000.mp4", 10);
        Segment("seg-1-20261121T060002.mp4", 10);
        File.WriteAllText(_temp.Combine("segments-1.csv"), "seg-1-20261121T060000.mp4,0.0,2.0\n");
        Segment("seg-2-20261121T060010.mp4", 10);
        File.WriteAllText(_temp.Combine("segments-2.csv"), "");

        ring.SweepOrphans();

        Assert.True(File.Exists(_temp.Combine("seg-1-20261121T060000.mp4")));
        Assert.False(File.Exists(_temp.Combine("seg-1-20261121T060002.mp4")));
        Assert.True(File.Exists(_temp.Combine("seg-2-20261121T060010.mp4")), "the current run's segment being written must stay");
    }

    [Theory]
    [InlineData("seg-17-20261121T235959.mp4", "2026-11-21T23:59:59+00:00")]
    [InlineData("seg-x-20261121T235959.mp4", null)]
    [InlineData("seg-1-2026112T235959.mp4", null)]
    public void NameTime_ParsesUtcFromSegmentName(string name, string? expected) =>
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SegmentRing.NameTime(name));

    public void Dispose() => _temp.Dispose();

    private SegmentRing NewRing(RecordingOptions options) => new(_temp.Path, options, new FakeTimeProvider(T0.AddSeconds(30)), NullLogger.Instance);

    private void Segment(string name, int size) => File.WriteAllBytes(_temp.Combine(name), new byte[size]);
}
