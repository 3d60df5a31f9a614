namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// Cuts clips from the video the node records for the camera (its main stream, copied without transcoding into a
/// ring buffer of short segments). A clip is assembled once the video up to its end has been recorded, then uploaded
/// with a thumbnail; it survives restarts of the node from the moment the request is accepted.
/// </summary>
public interface IClipRecorder
{
    /// <summary>Whether this camera records; when it does not, requests are refused.</summary>
    bool IsRecording { get; }

    /// <summary>
    /// Asks for a clip from <see cref="ClipRequest.Start"/> to <see cref="ClipRequest.End"/> (pre- and post-roll are the
    /// caller's to add). Returns the clip's id once the request is safely on the node's disk. Video the ring buffer no
    /// longer holds is left out; the clip is cut on segment boundaries, so it may start and end a little wider. When
    /// the node's upload policy (a metered link) keeps such clips on the node, no clip is cut: its video stays in the
    /// ring, where a reviewer can fetch it, and the id returned names nothing.
    /// </summary>
    ValueTask<string> RequestClipAsync(ClipRequest request, CancellationToken cancellationToken = default);
}

/// <summary>A clip to cut.</summary>
/// <param name="Start">First moment to include.</param>
/// <param name="End">Last moment to include.</param>
public sealed record ClipRequest(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The event the clip shows, if any.</summary>
    public string? EventId { get; init; }

    /// <summary>Why the clip was cut, e.g. motion.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>
/// A plugin that hears of the events other plugins publish on its camera (a recorder cutting clips around motion,
/// a counter reacting to detections). Calls never overlap the plugin's other calls.
/// </summary>
public interface IEventObserver
{
    /// <summary>An event was published on the camera by <paramref name="pluginId"/> (opened, updated or closed).</summary>
    ValueTask OnEventAsync(PluginEvent pluginEvent, string pluginId, CancellationToken cancellationToken);
}
