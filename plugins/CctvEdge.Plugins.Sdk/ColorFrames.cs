namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// A plugin that analyses colour frames (object detectors). It asks for them through
/// <see cref="PluginSubscription.ColorFrames"/>; the node decodes colour only while some plugin of the camera asks,
/// since a colour output costs ffmpeg a second scale and three times the bytes of a gray one.
/// </summary>
public interface IColorFrameAnalyzer : ICameraPlugin
{
    /// <summary>Analyses one colour frame. The pixels are lent for the duration of the call; copy what you keep.</summary>
    ValueTask OnColorFrameAsync(ColorFrame frame, CancellationToken cancellationToken);
}

/// <summary>
/// One RGB24 frame: <see cref="Height"/> rows of <see cref="Stride"/> bytes, the first <see cref="Width"/> × 3 of each
/// row being pixels as red, green, blue bytes.
/// </summary>
/// <param name="Pixels">The pixel rows; lent for the duration of the call.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Stride">Bytes per row (at least 3 × <paramref name="Width"/>).</param>
/// <param name="Number">The camera's colour frame counter since the node started it.</param>
/// <param name="Timestamp">When the node received the frame.</param>
public readonly record struct ColorFrame(ReadOnlyMemory<byte> Pixels, int Width, int Height, int Stride, long Number, DateTimeOffset Timestamp);
