namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Frame in, objects out: letterbox into the input tensor, run the model, decode the YOLO layout, class-wise NMS, boxes
/// mapped back to frame pixels. Buffers are kept between frames: a camera runs this a few times a second for days.
/// </summary>
internal sealed class DetectionPipeline : IObjectDetector
{
    private readonly IModelRunner _runner;
    private readonly int? _classCount;
    private readonly float _minScore;
    private readonly float _nmsIou;
    private readonly float[] _input;
    private readonly List<DetectedObject> _candidates = [];
    private Letterbox? _letterbox;
    private YoloDecoder? _decoder;

    /// <param name="runner">The model.</param>
    /// <param name="classCount">The class names configured, or null to accept the model's count.</param>
    /// <param name="minScore">The lowest score any label accepts.</param>
    /// <param name="nmsIou">The overlap above which the weaker box of a class goes.</param>
    public DetectionPipeline(IModelRunner runner, int? classCount, float minScore, float nmsIou)
    {
        (_runner, _classCount, _minScore, _nmsIou) = (runner, classCount, minScore, nmsIou);
        _input = new float[3 * runner.InputWidth * runner.InputHeight];
        if (runner.OutputShape is { } shape)
        {
            // A fixed output shape is judged now, so a wrong model fails at start rather than at the first frame.
            _decoder = new YoloDecoder(YoloLayout.Recognise(shape, classCount));
        }
    }

    public YoloLayout? Layout => _decoder?.Layout;

    public string Description => $"YOLO model {_runner.InputWidth}x{_runner.InputHeight}, {Layout?.Name ?? "layout known at the first frame"}";

    /// <summary>The classes the model outputs (known once its layout is).</summary>
    public int? Classes => _decoder?.Layout.Classes;

    /// <summary>Detects objects in an RGB24 frame; <paramref name="found"/> gets them in frame pixels, best first.</summary>
    public void Detect(ReadOnlySpan<byte> rgb, int width, int height, int stride, List<DetectedObject> found)
    {
        Prepare(rgb, width, height, stride);
        using var output = _runner.Run(_input);
        Decode(output.Values, output.Shape, found);
    }

    /// <summary>Pre-processing: the letterboxed tensor.</summary>
    internal float[] Prepare(ReadOnlySpan<byte> rgb, int width, int height, int stride)
    {
        if (_letterbox is not { } box || box.FrameWidth != width || box.FrameHeight != height)
        {
            _letterbox = box = new Letterbox(width, height, _runner.InputWidth, _runner.InputHeight);
        }

        box.Fill(rgb, stride, _input);
        return _input;
    }

    /// <summary>Post-processing of an output for the last prepared frame.</summary>
    internal void Decode(ReadOnlySpan<float> values, IReadOnlyList<long> shape, List<DetectedObject> found)
    {
        _decoder ??= new YoloDecoder(YoloLayout.Recognise(shape, _classCount));
        _candidates.Clear();
        _decoder.Decode(values, _minScore, _candidates);
        var start = found.Count;
        ClassNms.Apply(_candidates, _nmsIou, found);
        for (var i = start; i < found.Count; i++)
        {
            found[i] = found[i] with { Box = _letterbox!.ToFrame(found[i].Box) };
        }
    }

    public void Dispose() => _runner.Dispose();
}
