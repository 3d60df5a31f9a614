using CctvEdge.Server.Api;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests;

/// <summary>The timeline's stretches of video: joined where they nearly touch, clipped to the day, in time order.</summary>
public sealed class VideoSpansTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Within_BackToBackClipsJoin_AGapLongerThanTheJoinStays_EdgesClippedToTheDay()
    {
        var spans = new[]
        {
            (Day.AddHours(10).AddSeconds(60), Day.AddHours(10).AddSeconds(120)),
            (Day.AddHours(10), Day.AddHours(10).AddSeconds(58)),
            (Day.AddHours(-1), Day.AddMinutes(10)),
            (Day.AddHours(10).AddSeconds(130), Day.AddHours(10).AddSeconds(140)),
            (Day.AddDays(1).AddMinutes(-5), Day.AddDays(1).AddMinutes(5)),
            (Day.AddDays(2), Day.AddDays(2).AddHours(1)),
        };

        var within = VideoSpans.Within(spans, Day, Day.AddDays(1));

        Assert.Equal(
            [
                new VideoSpan(Day, Day.AddMinutes(10)),
                new VideoSpan(Day.AddHours(10), Day.AddHours(10).AddSeconds(120)),
                new VideoSpan(Day.AddHours(10).AddSeconds(130), Day.AddHours(10).AddSeconds(140)),
                new VideoSpan(Day.AddDays(1).AddMinutes(-5), Day.AddDays(1)),
            ],
            within);
    }
}
