namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>A candidate as a YOLO model outputs it: centre and size in input pixels, objectness (v5 only), one class scored.</summary>
internal readonly record struct Candidate(float Cx, float Cy, float W, float H, int ClassId, float Score, float Objectness = 1);

/// <summary>
/// Lays candidates out as YOLOv5 ([1, N, 5+C]) or YOLOv8 ([1, 4+C, N]) outputs; other class scores stay 0. N is padded
/// with empty candidates to 100, as real exports have thousands: N exceeding 4+C is how the layouts are told apart.
/// </summary>
internal static class YoloOutputs
{
    public const int Coco = 80;
    private const int MinCandidates = 100;

    public static (float[] Values, long[] Shape) V5(IReadOnlyList<Candidate> candidates, int classes = Coco)
    {
        var width = 5 + classes;
        var values = new float[Math.Max(MinCandidates, candidates.Count) * width];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var row = values.AsSpan(i * width, width);
            (row[0], row[1], row[2], row[3], row[4]) = (c.Cx, c.Cy, c.W, c.H, c.Objectness);
            row[5 + c.ClassId] = c.Score;
        }

        return (values, [1, values.Length / width, width]);
    }

    public static (float[] Values, long[] Shape) V8(IReadOnlyList<Candidate> candidates, int classes = Coco)
    {
        var n = Math.Max(MinCandidates, candidates.Count);
        var values = new float[(4 + classes) * n];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            (values[i], values[n + i], values[(2 * n) + i], values[(3 * n) + i]) = (c.Cx, c.Cy, c.W, c.H);
            values[((4 + c.ClassId) * n) + i] = c.Score;
        }

        return (values, [1, 4 + classes, n]);
    }
}
