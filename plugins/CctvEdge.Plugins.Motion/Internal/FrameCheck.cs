using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Internal;

/// <summary>Decides whether a frame can be analysed, so a malformed one is skipped and reported instead of thrown.</summary>
internal static class FrameCheck
{
    /// <summary>What is wrong with the frame (the same words for the same problem, so repeats can be told), or null.</summary>
    public static string? Problem(GrayFrame frame, int downscale)
    {
        if (frame.Width < 1 || frame.Height < 1)
        {
            return $"it is {frame.Width}x{frame.Height}: no pixels";
        }

        if (frame.Stride < frame.Width)
        {
            return $"it has rows of {frame.Stride} bytes, fewer than its width {frame.Width}";
        }

        var needed = ((long)frame.Stride * (frame.Height - 1)) + frame.Width;
        if (frame.Pixels.Length < needed)
        {
            return $"it holds {frame.Pixels.Length} bytes; {frame.Width}x{frame.Height} with rows of {frame.Stride} bytes needs {needed}";
        }

        return MotionSetup.SizeProblem(frame.Width, frame.Height, downscale) is { } size ? $"Downscale {size}" : null;
    }
}
