using System.Text.RegularExpressions;

namespace CctvEdge.Server.Storage;

/// <summary>Clip ids are chosen by nodes and become file names: letters, digits, '-' and '_' only.</summary>
internal static partial class ClipIds
{
    public const long MaxSize = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// Clips last at most an hour (continuous clips up to 3600 s, event clips up to 30 min): a lookup of the clips that
    /// overlap a moment scans the camera's index back this far and no further.
    /// </summary>
    public const long MaxDurationMs = 3_600_000;

    /// <summary>
    /// SQL: clip <paramref name="clip"/> is of the camera and overlaps [<paramref name="start"/>, <paramref name="stop"/>]
    /// (column names or parameters), bounded so the (node_id, camera_id, start_ms) index does the work. Timelapse clips
    /// span a day in seconds and show no event: they are never an event's clip (nor flagged with one).
    /// </summary>
    public static string OverlapSql(string clip, string nodeId, string cameraId, string start, string stop) =>
        $"{clip}.node_id = {nodeId} AND {clip}.camera_id = {cameraId} AND {clip}.start_ms >= {start} - {MaxDurationMs} AND {clip}.start_ms <= {stop} AND {clip}.end_ms >= {start} AND {clip}.reason <> 'timelapse'";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
