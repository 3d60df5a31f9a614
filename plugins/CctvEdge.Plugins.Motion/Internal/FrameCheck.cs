using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Internal;

/// <summary>Decides whether a frame can be analysed, so a malformed one is skipped and reported instead of thrown.</summary>
internal static class FrameCheck
{
    /// <summary>What is wrong with the frame, or null.</summary>
    public static string? Problem(GrayFrame frame, int downscale)
    {
        if (frame.Width < 1 || frame.Height < 1)
        {
            return $"frame {frame.Number} is {frame.Width}x{frame.Height}: no pixels";
        }

        if (frame.Stride < frame.Width)
        {
            return $"frame {frame.Number} has rows of {frame.Stride} bytes, fewer than its width {frame.Width}";
        }

        var needed = ((long)frame.Stride * (frame.Height - 1)) + frame.Width;
        if (frame.Pixels.Length < needed)
        {
            return $"frame {frame.Number} holds {frame.Pixels.Length} bytes; {frame.Width}x{frame.Height} with rows of {frame.Stride} bytes needs {needed}";
        }

        return MotionSetup.SizeProblem(frame.Width, frame.Height, downscale) is { } size ? $"frame {frame.Number} cannot be analysed: Downscale {size}" : null;
    }
}
