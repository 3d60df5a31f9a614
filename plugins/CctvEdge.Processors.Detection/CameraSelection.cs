namespace CctvEdge.Processors.Detection;

/// <summary>The cameras central detection runs for: <c>node/camera</c> entries, <c>node/*</c> for all of a node's.</summary>
internal sealed class CameraSelection(IEnumerable<string> entries)
{
    private readonly HashSet<string> _entries = new(entries, StringComparer.OrdinalIgnoreCase);

    public bool IsEmpty => _entries.Count == 0;

    public bool Contains(string nodeId, string cameraId) =>
        cameraId.Length > 0 && (_entries.Contains($"{nodeId}/{cameraId}") || _entries.Contains($"{nodeId}/*"));

    public static bool IsValid(string entry) =>
        entry.Split('/') is [var node, var camera] && node.Length > 0 && camera.Length > 0 && !node.Contains('*', StringComparison.Ordinal) && (camera == "*" || !camera.Contains('*', StringComparison.Ordinal));
}
