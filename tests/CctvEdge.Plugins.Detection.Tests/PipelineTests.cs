using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>Real ONNX Runtime on test-made models in both YOLO layouts: decoding and letterbox mapping asserted exactly.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TestModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void Detect_YoloV8Model_BoxMappedBackToWideFrame()
    {
        // 1280x720 into 640x640: scale 0.5, 140 rows of padding above and below.
        var (layout, only) = DetectOne(_models.V8(new Candidate(320, 320, 100, 200, ClassId: 0, Score: 0.9f)));

        Assert.False(layout.HasObjectness);
        Assert.Equal((0, 0.9f, new Box(540, 160, 740, 560)), (only.ClassId, MathF.Round(only.Score, 5), only.Box));
    }

    [Fact]
    public void Detect_YoloV5Model_ScoreIsObjectnessTimesClass()
    {
        var (layout, only) = DetectOne(_models.V5(new Candidate(100, 300, 50, 40, ClassId: 2, Score: 0.9f, Objectness: 0.8f)));

        Assert.True(layout.HasObjectness);
        Assert.Equal((2, 0.72f, new Box(150, 280, 250, 360)), (only.ClassId, MathF.Round(only.Score, 5), only.Box));
    }

    [Fact]
    public void Detect_OverlappingBoxes_NmsKeepsBestPerClass()
    {
        var path = _models.V8(
            new Candidate(320, 320, 100, 200, 0, 0.9f),
            new Candidate(325, 320, 100, 200, 0, 0.8f),  // the same person again: suppressed
            new Candidate(325, 320, 100, 200, 2, 0.7f),  // a car behind them: another class, kept
            new Candidate(100, 320, 50, 50, 0, 0.2f));   // below the lowest score: never reaches NMS
        using var pipeline = new DetectionPipeline(OnnxModelRunner.Open(path, 640), 80, 0.25f, 0.45f);
        var found = Detect(pipeline, 640, 640);

        Assert.Equal([(0, 0.9f), (2, 0.7f)], found.Select(f => (f.ClassId, MathF.Round(f.Score, 3))));
    }

    [Fact]
    public void Letterbox_PortraitFrame_PadsLeftAndRightAndMapsBack()
    {
        var box = new Letterbox(360, 640, 640, 640);
        Assert.Equal((1f, 140, 0), (box.Scale, box.PadX, box.PadY));

        var rgb = new byte[3 * 360 * 640];
        rgb[0] = 255; // red at the frame's top-left pixel
        var tensor = new float[3 * 640 * 640];
        box.Fill(rgb, 3 * 360, tensor);
        Assert.Equal(1f, tensor[140]);           // red plane, row 0, column 140
        Assert.Equal(114f / 255f, tensor[139]);  // padding
        Assert.Equal(0f, tensor[141]);
        Assert.Equal(new Box(0, 10, 20, 30), box.ToFrame(new Box(140, 10, 160, 30)));
        Assert.Equal(new Box(0, 0, 360, 640), box.ToFrame(new Box(0, -5, 600, 700)));
    }

    [Fact]
    public void Nms_SameClassOverlap_KeepsBestAndOtherClasses()
    {
        var kept = new List<DetectedObject>();
        ClassNms.Apply(
            [
                new(new Box(10, 0, 110, 100), 0, 0.8f),
                new(new Box(0, 0, 100, 100), 0, 0.9f),
                new(new Box(10, 0, 110, 100), 2, 0.7f),
                new(new Box(500, 500, 600, 600), 0, 0.6f),
            ],
            0.45f,
            kept);

        Assert.Equal([0.9f, 0.7f, 0.6f], kept.Select(k => k.Score));
    }

    [Theory]
    [InlineData(new long[] { 1, 84, 8400 }, false, 8400, 80)]
    [InlineData(new long[] { 1, 25200, 85 }, true, 25200, 80)]
    [InlineData(new long[] { 1, 7, 2100 }, false, 2100, 3)]
    public void Recognise_YoloShapes_LayoutAndClasses(long[] shape, bool objectness, int candidates, int classes)
    {
        Assert.Equal(new YoloLayout(objectness, candidates, classes), YoloLayout.Recognise(shape, null));
    }

    [Fact]
    public void Recognise_ClassCountMismatch_SaysSo()
    {
        var error = Assert.Throws<ModelException>(() => YoloLayout.Recognise([1, 7, 2100], 80));
        Assert.Contains("3 classes, but 80 class names", error.Message, StringComparison.Ordinal);
    }

    private static (YoloLayout Layout, DetectedObject Only) DetectOne(string model)
    {
        using var pipeline = new DetectionPipeline(OnnxModelRunner.Open(model, 640), 80, 0.25f, 0.45f);
        return (pipeline.Layout!, Assert.Single(Detect(pipeline, 1280, 720)));
    }

    private static List<DetectedObject> Detect(DetectionPipeline pipeline, int width, int height)
    {
        var frame = TestFrames.Flat(width, height, 1, 0);
        var found = new List<DetectedObject>();
        pipeline.Detect(frame.Pixels.Span, frame.Width, frame.Height, frame.Stride, found);
        return found;
    }
}
