using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Notifications.Reports;

/// <summary>Builds a <see cref="DailyReport"/> for one local day from the store, the storage forecast and the live sessions.</summary>
internal sealed class DailyReportQuery(ServerDatabase database, NodeStore nodes, IStorageQuery storage, SessionRegistry sessions, TimeProvider clock)
{
    /// <summary>Measurement series in one report at most; a big fleet's report lists the first by node and camera.</summary>
    public const int MaxReadings = 100;

    public async Task<DailyReport> BuildAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var (start, end) = LocalDay.Bounds(day);
        var range = new { From = start.ToUnixTimeMilliseconds(), To = end.ToUnixTimeMilliseconds() };
        var nodeRows = await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var nodeNames = nodeRows.ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        var cameraNames = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => (c.NodeId, c.Id), c => c.Name);
        string Node(string id) => nodeNames.GetValueOrDefault(id, id);
        string Camera(string node, string id) => cameraNames.GetValueOrDefault((node, id), id);

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var events = (await connection.QueryAsync<(string NodeId, string CameraId, string Kind, long Count, double MaxPeak)>(
            """
            SELECT node_id, camera_id, kind, COUNT(*), MAX(peak) FROM events
            WHERE start_ms >= @From AND start_ms < @To AND deleted_ms IS NULL
            GROUP BY node_id, camera_id, kind
            """, range).ConfigureAwait(false)).ToList();
        var clips = (await connection.QueryAsync<(string NodeId, string CameraId, long Bytes, long Count)>(
            """
            SELECT node_id, camera_id, CAST(SUM(size) AS BIGINT), COUNT(*) FROM clips
            WHERE start_ms >= @From AND start_ms < @To AND state = 'stored'
            GROUP BY node_id, camera_id
            """, range).ConfigureAwait(false)).ToList();
        var readings = (await connection.QueryAsync<(string NodeId, string CameraId, string Name, string Unit, double Min, double Max, double Mean, long Count)>(
            """
            SELECT node_id, camera_id, name, MAX(unit), MIN(value), MAX(value), AVG(value), COUNT(*) FROM measurements
            WHERE at_ms >= @From AND at_ms < @To
            GROUP BY node_id, camera_id, name ORDER BY node_id, camera_id, name LIMIT @Limit
            """, new { range.From, range.To, Limit = MaxReadings }).ConfigureAwait(false)).ToList();

        var cameras = events.Select(e => (e.NodeId, e.CameraId)).Union(clips.Select(c => (c.NodeId, c.CameraId)))
            .Select(key =>
            {
                var own = events.Where(e => (e.NodeId, e.CameraId) == key).ToList();
                var stored = clips.FirstOrDefault(c => (c.NodeId, c.CameraId) == key);
                return new ReportCamera(
                    Node(key.NodeId),
                    Camera(key.NodeId, key.CameraId),
                    own.ToDictionary(e => e.Kind, e => e.Count, StringComparer.Ordinal),
                    own.Count == 0 ? 0 : own.Max(e => e.MaxPeak),
                    stored.Bytes,
                    stored.Count);
            })
            .OrderBy(c => c.NodeName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.CameraName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var disks = (await storage.GetAsync(1, null, cancellationToken).ConfigureAwait(false)).Disks;
        var offline = nodeRows.Where(n => !sessions.IsConnected(n.Id))
            .Select(n => new ReportOfflineNode(n.Name, DateTimeOffset.FromUnixTimeMilliseconds(n.LastSeenMs)))
            .OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new DailyReport(
            day,
            clock.GetUtcNow(),
            cameras,
            disks,
            offline,
            readings.Select(r => new ReportReading(Node(r.NodeId), Camera(r.NodeId, r.CameraId), r.Name, r.Unit, r.Min, r.Max, r.Mean, r.Count)).ToList());
    }
}
