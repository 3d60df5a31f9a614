using System.Diagnostics;
using System.Globalization;
using CctvEdge.Plugins.Detection;
using CctvEdge.Plugins.Detection.Internal.Configuration;
using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Bench;

/// <summary>
/// The detection plugin's work around inference, per frame, at a 640x640 model input: pre-processing (a 640x360 RGB
/// frame letterboxed into the float tensor) and post-processing (decoding a YOLOv8 [1, 84, 8400] or YOLOv5
/// [1, 25200, 85] output with realistic noise, class-wise NMS, mapping boxes back, the label, score, area and zone
/// rules). Inference itself is the model's and the machine's, not ours, and is left out. One thread, as on a node.
/// </summary>
internal static class DetectionBench
{
    private const int Input = 640;

    public static int Run(string[] args)
    {
        var frames = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 500;
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}, {Environment.ProcessorCount} cores; {frames} frames, 640x360 RGB into 640x640");
        var rgb = new byte[640 * 360 * 3];
        new Random(1).NextBytes(rgb);
        var settings = new DetectionSettings
        {
            ModelPath = "bench.onnx",
            Zones = [new DetectionZone { Name = "yard", Points = [[0, 0.4], [1, 0.4], [1, 1], [0, 1]] }],
        };
        var rules = new ObjectRules(settings, CocoNames.All);
        Console.WriteLine("stage                          mean ms   p95 ms   objects");
        Measure("pre: letterbox to tensor", frames, rgb, rules, layout: null);
        Measure("post: YOLOv8 [1,84,8400]", frames, rgb, rules, layout: false);
        Measure("post: YOLOv5 [1,25200,85]", frames, rgb, rules, layout: true);
        Measure("pre + post (YOLOv8)", frames, rgb, rules, layout: false, withPre: true);
        MeasureHog(Math.Clamp(frames / 10, 10, 100), rgb);
        return 0;
    }

    /// <summary>
    /// Backend opencv-hog, the whole detection (OpenCV's HOG scans a pyramid of the frame: its cost hardly depends on
    /// what the picture shows) on the 640x360 frame.
    /// </summary>
    private static void MeasureHog(int frames, byte[] rgb)
    {
        using var hog = HogPeopleDetector.Open(personClass: 0);
        var found = new List<DetectedObject>();
        var times = new double[frames];
        for (var i = -2; i < frames; i++)
        {
            found.Clear();
            var start = Stopwatch.GetTimestamp();
            hog.Detect(rgb, 640, 360, 640 * 3, found);
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"opencv-hog: 640x360, " + frames + " frames",-30} {times.Average(),7:0.000}  {times[(int)(frames * 0.95)],7:0.000}   {found.Count}"));
    }

    /// <param name="layout">Null for pre-processing alone; else whether the output has objectness (YOLOv5).</param>
    private static void Measure(string name, int frames, byte[] rgb, ObjectRules rules, bool? layout, bool withPre = false)
    {
        var (values, shape) = layout == true ? Output(25200, true) : Output(8400, false);
        using var pipeline = new DetectionPipeline(new NoModel(shape), 80, rules.LowestScore, 0.45f);
        pipeline.Prepare(rgb, 640, 360, 640 * 3);
        var found = new List<DetectedObject>();
        var zones = new List<string>();
        var times = new double[frames];
        var objects = 0;
        for (var i = -20; i < frames; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (layout is null || withPre)
            {
                pipeline.Prepare(rgb, 640, 360, 640 * 3);
            }

            if (layout is not null)
            {
                found.Clear();
                pipeline.Decode(values, shape, found);
                objects = found.Count(d => rules.Accepts(d, 640, 360, zones));
            }

            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} {times.Average(),7:0.000}  {times[(int)(frames * 0.95)],7:0.000}   {(layout is null ? "" : objects.ToString(CultureInfo.InvariantCulture))}"));
    }

    /// <summary>
    /// An output like a real one: every class score low noise (0..0.05, as most of a trained model's are), and five
    /// objects each found by a cluster of eight overlapping candidates, which NMS has to reduce to one.
    /// </summary>
    private static (float[] Values, long[] Shape) Output(int candidates, bool objectness)
    {
        var random = new Random(2);
        var width = 80 + (objectness ? 5 : 4);
        var values = new float[candidates * width];
        // YOLOv8 is value-major ([value, candidate]), YOLOv5 candidate-major ([candidate, value]).
        int At(int candidate, int value) => objectness ? (candidate * width) + value : (value * candidates) + candidate;
        for (var c = 0; c < candidates; c++)
        {
            for (var v = 0; v < width; v++)
            {
                values[At(c, v)] = v < 4 ? random.NextSingle() * Input : random.NextSingle() * 0.05f;
            }
        }

        int[] classes = [0, 0, 2, 7, 16];
        for (var o = 0; o < classes.Length; o++)
        {
            for (var k = 0; k < 8; k++)
            {
                var c = (o * 997) + (k * 13);
                (values[At(c, 0)], values[At(c, 1)], values[At(c, 2)], values[At(c, 3)]) = (100 + (o * 100) + k, 300 + k, 80, 160);
                if (objectness)
                {
                    values[At(c, 4)] = 0.9f;
                }

                values[At(c, (objectness ? 5 : 4) + classes[o])] = 0.6f + (k * 0.04f);
            }
        }

        return (values, objectness ? [1, candidates, width] : [1, width, candidates]);
    }

    /// <summary>Stands in for the model: the bench measures only what surrounds inference.</summary>
    private sealed class NoModel(long[] shape) : IModelRunner
    {
        public int InputWidth => Input;

        public int InputHeight => Input;

        public IReadOnlyList<long>? OutputShape => shape;

        public IModelOutput Run(float[] input) => throw new NotSupportedException("The bench does not run a model.");

        public void Dispose()
        {
        }
    }
}
