namespace CctvEdge.Web.Services;

/// <summary>Reads what the overview shows; the server implements it over its store.</summary>
public interface IOverviewQuery
{
    /// <summary>Nodes with cameras and plugins, and the latest events.</summary>
    Task<OverviewModel> GetOverviewAsync(int latestEvents, CancellationToken cancellationToken);
}

/// <summary>What changed; pages reload what they show when something they show changed.</summary>
public enum LiveChangeKind
{
    /// <summary>A node connected, disconnected or sent a heartbeat.</summary>
    Node,

    /// <summary>A camera has a new snapshot.</summary>
    Snapshot,

    /// <summary>An event was stored or updated.</summary>
    Event,

    /// <summary>A reviewer acknowledged, flagged or deleted events or notifications.</summary>
    Review,

    /// <summary>New notifications were raised.</summary>
    Notification,
}

/// <summary>One change notification.</summary>
public sealed record LiveChange(LiveChangeKind Kind, string NodeId, string? CameraId);

/// <summary>Pushes changes to open pages so they update without a reload.</summary>
public interface ILiveUpdates
{
    /// <summary>Calls <paramref name="onChange"/> for each change until the subscription is disposed.</summary>
    IDisposable Subscribe(Action<LiveChange> onChange);
}
