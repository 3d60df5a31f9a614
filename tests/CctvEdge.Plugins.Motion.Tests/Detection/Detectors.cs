using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Detection;

internal static class Detectors
{
    /// <summary>A detector for validated settings at 5 fps, as the analyzer builds it.</summary>
    public static MotionDetector Create(MotionSettings? settings = null, int width = Frames.Width, int height = Frames.Height, KernelPath? path = null)
    {
        settings ??= new MotionSettings();
        var setup = MotionSetup.Create(settings, width, height);
        return new MotionDetector(width, height, 5, settings, setup.RegionsFor(MotionDetector.DetectionLayout(width, height, settings.Downscale)), path ?? KernelPaths.Best);
    }
}
