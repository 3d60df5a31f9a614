using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests;

/// <summary>How a chart's range picks its resolution and bucket, without a server.</summary>
public sealed class SensorQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 0, "raw")]
    [InlineData(6, 0, "raw")]
    [InlineData(7, 0, "minute")]
    [InlineData(24 * 31, 0, "minute")]
    [InlineData(24 * 32, 0, "hour")]
    [InlineData(24 * 365, 0, "hour")]
    // An hour eight days ago: raw readings are gone (7 days), minutes still hold it.
    [InlineData(1, 24 * 8, "minute")]
    // A day 100 days ago: minutes are gone (90 days), hours hold it.
    [InlineData(24, 24 * 100, "hour")]
    public void ResolutionFor_SpanAndAge_FinestThatHoldsIt(int hours, int hoursAgo, string expected)
    {
        var to = Now.AddHours(-hoursAgo);

        Assert.Equal(expected, SensorQuery.ResolutionFor(to.AddHours(-hours), to, Now, new SensorOptions()).Name);
    }

    [Theory]
    [InlineData(3_600_000L, "raw", 3_600L)]
    [InlineData(86_400_000L, "minute", 120_000L)]
    [InlineData(7 * 86_400_000L, "minute", 660_000L)]
    [InlineData(365 * 86_400_000L, "hour", 32_400_000L)]
    public void BucketMs_Span_AWholeNumberOfTheResolutionsBucketsForAtMostAThousandPoints(long span, string resolution, long expected)
    {
        var r = new[] { SensorQueries.Raw, SensorQueries.Minute, SensorQueries.Hour }.Single(x => x.Name == resolution);

        var bucket = SensorQuery.BucketMs(span, r);

        Assert.Equal(expected, bucket);
        Assert.Equal(0, bucket % r.SizeMs);
        Assert.True(span / bucket <= SensorQuery.MaxPoints);
    }

    [Theory]
    [InlineData(125_000L, 60_000L, 120_000L)]
    [InlineData(-1L, 60_000L, -60_000L)]
    [InlineData(0L, 3_600_000L, 0L)]
    public void Floor_Time_StartOfItsBucketAlsoBefore1970(long at, long size, long expected) => Assert.Equal(expected, SensorStore.Floor(at, size));
}
