namespace CctvEdge.Web.Services;

/// <summary>
/// A node's configuration as the configuration page edits it: the latest version's cameras (each a camera entry of the
/// node config file, as JSON), what the node runs or refused, the JSON Schema of each installed plugin's settings (for
/// the forms), every earlier version, and each camera's latest snapshot (by camera id, the overview's URL) to draw
/// zones and masks on.
/// </summary>
public sealed record NodeConfigModel(
    string NodeId,
    long Version,
    long AppliedVersion,
    long? RefusedVersion,
    string? RefusedReason,
    IReadOnlyList<string> CamerasJson,
    IReadOnlyDictionary<string, string> PluginSchemas,
    IReadOnlyList<ConfigVersionEntry> Versions,
    IReadOnlyDictionary<string, string>? SnapshotUrls = null);

public sealed record ConfigVersionEntry(long Version, string Author, DateTimeOffset Created, string Comment);

/// <summary>What a change did: the new version and whether it reached the node now, or why it was refused.</summary>
public sealed record ConfigEditOutcome(long? Version, bool Pushed, string? Problem);

/// <summary>The configuration page's service (admins), on the same paths as the cameras API; each change is a new version.</summary>
public interface INodeConfigAdmin
{
    /// <summary>Null for a node that never reported a configuration.</summary>
    Task<NodeConfigModel?> GetAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Adds (<paramref name="isNew"/>) or replaces a camera, given as a camera entry of the config file.</summary>
    Task<ConfigEditOutcome> SaveCameraAsync(string nodeId, string cameraJson, bool isNew, CancellationToken cancellationToken);

    Task<ConfigEditOutcome> RemoveCameraAsync(string nodeId, string cameraId, CancellationToken cancellationToken);

    /// <summary>Makes an earlier version's cameras the latest again (as a new version).</summary>
    Task<ConfigEditOutcome> RollbackAsync(string nodeId, long version, CancellationToken cancellationToken);
}
