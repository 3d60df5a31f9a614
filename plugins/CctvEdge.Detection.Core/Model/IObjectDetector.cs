namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>A backend: RGB24 frame in, objects out in frame pixels, best first.</summary>
internal interface IObjectDetector : IDisposable
{
    /// <summary>What runs, for the log: the model and its layout, or OpenCV's HOG.</summary>
    string Description { get; }

    void Detect(ReadOnlySpan<byte> rgb, int width, int height, int stride, List<DetectedObject> found);
}
