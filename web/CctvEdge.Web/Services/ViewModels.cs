namespace CctvEdge.Web.Services;

/// <summary>Everything the overview page shows, read in one go.</summary>
public sealed record OverviewModel(
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyList<EventView> LatestEvents,
    DateTimeOffset ServerTime,
    long UnacknowledgedEvents = 0,
    IReadOnlyList<DiskView>? ServerDisks = null);

/// <summary>A disk: the server's data or clip disk, or a node's.</summary>
public sealed record DiskView(string Name, long FreeBytes, long TotalBytes)
{
    /// <summary>Below this share of free space a disk is reported as low.</summary>
    public const double LowFreeShare = 0.1;

    public double UsedShare => TotalBytes > 0 ? Math.Clamp(1 - ((double)FreeBytes / TotalBytes), 0, 1) : 0;

    public bool Low => TotalBytes > 0 && FreeBytes < TotalBytes * LowFreeShare;
}

/// <summary>A node as the reviewer sees it.</summary>
public sealed record NodeView(
    string Id,
    string Name,
    bool Online,
    DateTimeOffset LastSeen,
    string AgentVersion,
    double? CpuPercent,
    long? MemoryBytes,
    long? DiskFreeBytes,
    long? DiskTotalBytes,
    long PendingResults,
    long LostResults,
    NodeUploads Uploads,
    IReadOnlyList<CameraView> Cameras,
    IReadOnlyList<PluginView> Plugins,
    string Site = "");

/// <summary>A node's clips on their way: waiting, lost, why uploads fail if they do, and its upload policy.</summary>
public sealed record NodeUploads(long PendingClips, long PendingBytes, long LostClips, string Error, UploadPolicyView? Policy = null);

/// <summary>
/// A node's upload policy for a metered link (its <c>UploadPolicy</c> section) and what it holds back now: which clips
/// go by themselves, when, the day's byte budget and its use, and the clips held or kept on the node.
/// </summary>
public sealed record UploadPolicyView(
    string Clips,
    IReadOnlyList<string> Windows,
    bool WindowOpen,
    long BudgetBytes,
    long UsedBytes,
    long HeldClips,
    string HeldReason,
    long KeptOnNode)
{
    /// <summary>Whether the policy limits anything: the pages say nothing about a node that sends everything at once.</summary>
    public bool Limits => Clips != "all" || Windows.Count > 0 || BudgetBytes > 0;

    /// <summary>Part of the day's budget used, 0..1; 0 without a budget.</summary>
    public double BudgetUsed => BudgetBytes > 0 ? Math.Min(1, (double)UsedBytes / BudgetBytes) : 0;
}

/// <summary>A camera with its state and latest snapshot.</summary>
public sealed record CameraView(string NodeId, string Id, string Name, string SourceKind, string State, string Error, double? Fps, DateTimeOffset? SnapshotAt, string? SnapshotUrl)
{
    /// <summary>The camera's newest stored timelapse, when it has one.</summary>
    public TimelapseView? LatestTimelapse { get; init; }
}

/// <summary>A stored timelapse clip: the span of day its stills cover, its poster, and where the player opens it.</summary>
public sealed record TimelapseView(string ClipId, DateTimeOffset Start, DateTimeOffset End, string? ThumbnailUrl)
{
    public string PlayerPath => $"player/clip/{ClipId}";
}

/// <summary>A plugin, or a plugin instance on one camera when <see cref="CameraId"/> is set.</summary>
public sealed record PluginView(string Id, string? CameraId, string Version, string State, string Error, long Errors, long FramesDropped);

/// <summary>An event in a list, with its clip when it has one (pending until the upload is stored) and its review state; <c>GET /api/events</c> answers these.</summary>
public sealed record EventView(
    long Id,
    string NodeId,
    string CameraId,
    string CameraName,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset? End,
    double Peak,
    IReadOnlyList<string> Zones,
    string? ClipUrl = null,
    string? ClipState = null,
    string? ThumbnailUrl = null,
    string EventId = "",
    string PluginId = "",
    bool Acknowledged = false,
    bool Flagged = false)
{
    /// <summary>What a detector saw (the payload's <c>labels</c>), each label with its best score, best first.</summary>
    public IReadOnlyList<EventLabelView> Labels { get; init; } = [];

    /// <summary>Where, as boxes scaled to 0..1 (x, y, width, height), as the plugin reported them.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Boxes { get; init; } = [];
}
