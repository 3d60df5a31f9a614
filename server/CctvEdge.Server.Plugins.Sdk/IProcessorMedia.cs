namespace CctvEdge.Server.Plugins.Sdk;

/// <summary>
/// What a processor may read of the server's stored media and add to its events. Pictures and clips come decoded
/// (the server runs the decoder), so a processor needs no codec of its own.
/// </summary>
public interface IProcessorMedia
{
    /// <summary>
    /// Decodes the latest picture stored for event <paramref name="eventId"/> of node <paramref name="nodeId"/> (the
    /// <see cref="StoredResult.File"/> naming it, such as motion's snapshot) to RGB24, scaled down to at most
    /// <paramref name="maxWidth"/> pixels wide; null when none is stored (removed by retention, say).
    /// </summary>
    ValueTask<RgbImage?> ReadEventImageAsync(string nodeId, string eventId, int maxWidth, CancellationToken cancellationToken);

    /// <summary>
    /// Decodes a stored clip's frames to RGB24 at <paramref name="framesPerSecond"/> (the first frame at its start),
    /// at most <paramref name="maxWidth"/> pixels wide, stopping after <paramref name="maxFrames"/>; nothing when the
    /// clip is not stored.
    /// </summary>
    IAsyncEnumerable<RgbImage> ReadClipFramesAsync(string clipId, double framesPerSecond, int maxWidth, int maxFrames, CancellationToken cancellationToken);

    /// <summary>
    /// Sets this processor's labels on an event, replacing what it set before (an empty list removes them). The review
    /// app lists, filters and boxes them with the node's own labels. False when the event is not stored.
    /// </summary>
    ValueTask<bool> LabelEventAsync(string nodeId, string eventId, IReadOnlyList<EventLabel> labels, CancellationToken cancellationToken);
}

/// <summary>A decoded picture: RGB24, rows of <c>Width * 3</c> bytes with no padding.</summary>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="Pixels">The rows, top first.</param>
/// <param name="Offset">For a clip's frame, its time from the clip's start; zero for a picture.</param>
public sealed record RgbImage(int Width, int Height, ReadOnlyMemory<byte> Pixels, TimeSpan Offset);

/// <summary>A label a processor puts on an event.</summary>
/// <param name="Label">What was found (person, car, or an alert type such as vehicle).</param>
/// <param name="Score">How sure, 0 to 1.</param>
/// <param name="Box">Where: x, y, width and height as fractions of the picture; empty when it has no place.</param>
public sealed record EventLabel(string Label, double Score, IReadOnlyList<double> Box);
