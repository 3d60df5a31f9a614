namespace CctvEdge.Server.Plugins.Sdk;

/// <summary>
/// A processor (an <see cref="IResultProcessor"/>) that also implements this hears of each clip once its bytes are
/// stored and verified (SDK 1.1): a clip is announced in a result batch but its upload may come minutes or, on a
/// metered link, hours later. Calls share the processor's queue and never overlap its other calls.
/// </summary>
public interface IClipProcessor
{
    /// <summary>Reacts to a stored clip; read its frames through <see cref="IProcessorMedia.ReadClipFramesAsync"/>.</summary>
    ValueTask OnClipStoredAsync(StoredClipFile clip, CancellationToken cancellationToken);
}

/// <summary>A clip whose bytes the server has stored.</summary>
/// <param name="NodeId">The node that recorded it.</param>
/// <param name="CameraId">Its camera.</param>
/// <param name="ClipId">Its id.</param>
/// <param name="EventId">The event it shows, or empty (continuous recording, a reviewer's retrieval).</param>
/// <param name="Start">Its first moment.</param>
/// <param name="End">Its last moment.</param>
/// <param name="Size">Bytes.</param>
public sealed record StoredClipFile(string NodeId, string CameraId, string ClipId, string EventId, DateTimeOffset Start, DateTimeOffset End, long Size);
