using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>Stretches of video for the timeline: joined where they (nearly) touch, clipped to the day.</summary>
internal static class VideoSpans
{
    /// <summary>Gaps this short are not worth a break in the shading (back-to-back clips, a camera restart).</summary>
    public static readonly TimeSpan Join = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<VideoSpan> Within(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> spans, DateTimeOffset from, DateTimeOffset to)
    {
        var joined = new List<VideoSpan>();
        foreach (var (start, end) in spans.Where(s => s.End > from && s.Start < to).OrderBy(s => s.Start))
        {
            var (clippedStart, clippedEnd) = (start < from ? from : start, end > to ? to : end);
            if (joined.Count > 0 && clippedStart - joined[^1].End <= Join)
            {
                joined[^1] = joined[^1] with { End = clippedEnd > joined[^1].End ? clippedEnd : joined[^1].End };
            }
            else
            {
                joined.Add(new VideoSpan(clippedStart, clippedEnd));
            }
        }

        return joined;
    }
}
