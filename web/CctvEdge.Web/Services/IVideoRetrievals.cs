namespace CctvEdge.Web.Services;

/// <summary>
/// Video fetched from a node's own store on demand: the events page asks for a stretch of a camera's video and follows
/// it until its clip can be played.
/// </summary>
public interface IVideoRetrievals
{
    /// <summary>Asks the camera's node for [from, to); the problem in words when it cannot be asked.</summary>
    Task<RetrievalOutcome> RequestAsync(CameraKey camera, DateTimeOffset from, DateTimeOffset to, string requestedBy, CancellationToken cancellationToken);

    /// <summary>The retrievals of the cameras (every camera when null) that overlap [from, to), newest first.</summary>
    Task<IReadOnlyList<RetrievalView>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <param name="State">pending, sent, accepted, uploading, done or refused.</param>
/// <param name="ClipId">The clip to play once <paramref name="State"/> is done.</param>
public sealed record RetrievalView(string Id, CameraKey Camera, DateTimeOffset From, DateTimeOffset To, string State, string Error, string? ClipId)
{
    public bool Finished => State is "done" or "refused";
}

public sealed record RetrievalOutcome(RetrievalView? Retrieval, string? Problem);

/// <summary>A range of a camera's video a reviewer picked to fetch from its node (an event's, or a stretch of the timeline).</summary>
public sealed record RetrievalRange(CameraKey Camera, DateTimeOffset From, DateTimeOffset To);

/// <summary>The longest range one retrieval may ask for: the node's longest clip.</summary>
public static class RetrievalLimits
{
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(30);
}
