namespace CctvEdge.Web.Services;

/// <summary>A camera in the live grid: its latest snapshot and whether something moved in front of it lately.</summary>
public sealed record LiveTile(
    CameraKey Camera,
    string Name,
    string NodeName,
    string Site,
    bool Online,
    string State,
    string? SnapshotUrl,
    DateTimeOffset? SnapshotAt,
    DateTimeOffset? LastEventAt,
    string? LastEventKind)
{
    /// <summary>An event started in front of the camera less than <paramref name="window"/> before <paramref name="now"/>.</summary>
    public bool ActiveWithin(TimeSpan window, DateTimeOffset now) => LastEventAt is { } at && now - at <= window;
}

/// <summary>The live grid: every camera's latest snapshot, refreshed while the grid is open.</summary>
public interface ILiveGrid
{
    /// <summary>How long one follow request keeps a node sending every new snapshot; the grid renews well before.</summary>
    static readonly TimeSpan FollowFor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every camera of one site (or all) and of one saved group (or all, by node and name; a group's in its own order),
    /// with the time of its latest event in the last <paramref name="recent"/>.
    /// </summary>
    Task<IReadOnlyList<LiveTile>> GetTilesAsync(string? site, string? group, TimeSpan recent, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the cameras' nodes for a snapshot now and for every new one during <see cref="FollowFor"/> (about one a
    /// second instead of one every few seconds): a JPEG each, where a live stream would carry the video. Cameras of
    /// nodes that are not connected are skipped; returns how many were asked.
    /// </summary>
    int Follow(IEnumerable<CameraKey> cameras);
}
