using System.Runtime.InteropServices;
using OpenCvSharp;

namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Backend <c>opencv-hog</c>: OpenCV's built-in HOG + linear SVM people detector (Dalal and Triggs), so an x64 box
/// finds people with no model to download. It sees upright people of at least 64x128 pixels; its SVM margin becomes
/// the score through m / (1 + m), so a margin of 1 scores 0.5.
/// </summary>
internal sealed class HogPeopleDetector : IObjectDetector
{
    private readonly HOGDescriptor _hog;
    private readonly int _personClass;
    private Mat? _frame;

    private HogPeopleDetector(HOGDescriptor hog, int personClass) => (_hog, _personClass) = (hog, personClass);

    public string Description => "OpenCV HOG people detector";

    /// <summary>Opens OpenCV; <paramref name="personClass"/> is the class id of "person" among the labels.</summary>
    /// <exception cref="ModelException">OpenCV cannot run here, with what to do instead.</exception>
    public static HogPeopleDetector Open(int personClass)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new ModelException(
                $"OpenCvSharp publishes OpenCV's native library for linux-x64 only (this node is {RuntimeInformation.RuntimeIdentifier}); use Backend onnx with a YOLO model instead");
        }

        try
        {
            var hog = new HOGDescriptor();
            hog.SetSVMDetector(HOGDescriptor.GetDefaultPeopleDetector());
            return new HogPeopleDetector(hog, personClass);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new ModelException($"OpenCV's native library did not load ({ex.GetBaseException().Message.TrimEnd('.')}); it needs libgtk-3-0 and its dependencies (apt install libgtk-3-0)");
        }
    }

    public void Detect(ReadOnlySpan<byte> rgb, int width, int height, int stride, List<DetectedObject> found)
    {
        if (_frame is null || _frame.Width != width || _frame.Height != height)
        {
            _frame?.Dispose();
            _frame = new Mat(height, width, MatType.CV_8UC3);
        }

        // HOG takes the strongest gradient of the three channels, so RGB order serves as well as OpenCV's BGR.
        var rowBytes = width * 3;
        for (var y = 0; y < height; y++)
        {
            unsafe
            {
                rgb.Slice(y * stride, rowBytes).CopyTo(new Span<byte>((void*)_frame.Ptr(y), rowBytes));
            }
        }

        var boxes = _hog.DetectMultiScale(_frame, out var margins, hitThreshold: 0, winStride: new Size(8, 8), padding: new Size(8, 8), scale: 1.05, groupThreshold: 2);
        var start = found.Count;
        for (var i = 0; i < boxes.Length; i++)
        {
            var r = boxes[i];
            var margin = Math.Max(0, margins.Length > i ? margins[i] : 0);
            found.Add(new DetectedObject(new Box(r.X, r.Y, r.X + r.Width, r.Y + r.Height), _personClass, (float)(margin / (1 + margin))));
        }

        found.Sort(start, found.Count - start, Comparer<DetectedObject>.Create((a, b) => b.Score.CompareTo(a.Score)));
    }

    public void Dispose()
    {
        _frame?.Dispose();
        _hog.Dispose();
    }
}
