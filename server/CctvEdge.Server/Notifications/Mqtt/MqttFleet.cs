using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Mqtt;

/// <summary>A node as MQTT shows it: its name and whether it is connected.</summary>
internal sealed record FleetNode(string Id, string Name, bool Online);

/// <summary>A camera as MQTT shows it: its name and whether a motion event of it is open.</summary>
internal sealed record FleetCamera(string NodeId, string Id, string Name, bool Motion);

/// <summary>A measurement series' latest reading (camera "" for a node's own sensors).</summary>
internal sealed record FleetReading(string NodeId, string CameraId, string Name, string Unit, double Value);

/// <summary>What the MQTT bridge publishes, read once per pass for every MQTT channel.</summary>
internal sealed record FleetState(IReadOnlyList<FleetNode> Nodes, IReadOnlyList<FleetCamera> Cameras, IReadOnlyList<FleetReading> Readings);

/// <summary>
/// Reads <see cref="FleetState"/>: nodes and their sessions, cameras with an open motion event, and each measurement
/// series' latest value. Readings are followed by rowid (SQLite's own; a column of that name on PostgreSQL,
/// Schema/postgres/020), so a pass reads only the rows stored since the last one; that watermark and the latest values
/// are checkpointed, so a restart resumes where it was instead of guessing from the last rows (a series quiet for
/// longer than those would vanish, and its discovery config be cleared).
/// </summary>
internal sealed class MqttFleet(ServerDatabase database, NodeStore nodes, SessionRegistry sessions, MqttCheckpoints checkpoints, TimeProvider clock)
{
    /// <summary>How often a moving watermark is saved: a restart re-reads at most this much, which costs nothing but time.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(5);

    /// <summary>A motion event left open longer than this (its node died mid-event) no longer counts as motion.</summary>
    public static readonly TimeSpan LongestMotion = TimeSpan.FromMinutes(10);

    /// <summary>Rows read at the start to find recent readings; older series appear with their next reading.</summary>
    private const long SeedRows = 20_000;
    private const int BatchRows = 5_000;
    private readonly Dictionary<(string NodeId, string CameraId, string Name), FleetReading> _latest = [];
    private long? _lastRowId;
    private long _savedRowId;
    private DateTimeOffset _savedAt;

    public async Task<FleetState> ReadAsync(CancellationToken cancellationToken)
    {
        var nodeRows = await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var cameraRows = await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var moving = (await connection.QueryAsync<(string, string)>(
            "SELECT DISTINCT node_id, camera_id FROM events WHERE kind = 'motion' AND end_ms IS NULL AND deleted_ms IS NULL AND start_ms > @Since",
            new { Since = (clock.GetUtcNow() - LongestMotion).ToUnixTimeMilliseconds() }).ConfigureAwait(false)).ToHashSet();
        _lastRowId ??= await StartingRowAsync(connection, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var rows = (await connection.QueryAsync<(long RowId, string NodeId, string CameraId, string Name, string Unit, double Value)>(
                "SELECT rowid, node_id, camera_id, name, unit, value FROM measurements WHERE rowid > @After ORDER BY rowid LIMIT @Limit",
                new { After = _lastRowId, Limit = BatchRows }).ConfigureAwait(false)).ToList();
            foreach (var row in rows)
            {
                _latest[(row.NodeId, row.CameraId, row.Name)] = new FleetReading(row.NodeId, row.CameraId, row.Name, row.Unit, row.Value);
                _lastRowId = row.RowId;
            }

            if (rows.Count < BatchRows)
            {
                break;
            }
        }

        if (_lastRowId != _savedRowId && clock.GetUtcNow() - _savedAt >= CheckpointInterval)
        {
            await checkpoints.SaveReadingsAsync(new ReadingsCheckpoint(_lastRowId.Value, _latest.Values.ToList()), cancellationToken).ConfigureAwait(false);
            (_savedRowId, _savedAt) = (_lastRowId.Value, clock.GetUtcNow());
        }

        var online = nodeRows.ToDictionary(n => n.Id, n => sessions.IsConnected(n.Id), StringComparer.Ordinal);
        var cameras = cameraRows.Where(c => c.State is not ("removed" or "deactivated") && online.ContainsKey(c.NodeId))
            .Select(c => new FleetCamera(c.NodeId, c.Id, c.Name.Length > 0 ? c.Name : c.Id, online[c.NodeId] && moving.Contains((c.NodeId, c.Id))))
            .ToList();
        var shown = cameras.Select(c => (c.NodeId, c.Id)).ToHashSet();
        return new FleetState(
            nodeRows.Select(n => new FleetNode(n.Id, n.Name.Length > 0 ? n.Name : n.Id, online[n.Id])).ToList(),
            cameras,
            // A removed camera's series go with it, or their sensors would bring its device back in Home Assistant.
            _latest.Values.Where(r => online.ContainsKey(r.NodeId) && (r.CameraId.Length == 0 || shown.Contains((r.NodeId, r.CameraId)))).ToList());
    }

    /// <summary>Where the first pass starts: the checkpoint, or on a first run the last <see cref="SeedRows"/> rows.</summary>
    private async Task<long> StartingRowAsync(System.Data.IDbConnection connection, CancellationToken cancellationToken)
    {
        var last = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(rowid), 0) FROM measurements").ConfigureAwait(false);
        // A checkpoint past the last row belongs to another database (a restored backup): start afresh.
        if (await checkpoints.LoadReadingsAsync(cancellationToken).ConfigureAwait(false) is { } checkpoint && checkpoint.LastRowId <= last)
        {
            foreach (var reading in checkpoint.Latest)
            {
                _latest[(reading.NodeId, reading.CameraId, reading.Name)] = reading;
            }

            _savedRowId = checkpoint.LastRowId;
            return checkpoint.LastRowId;
        }

        return Math.Max(0, last - SeedRows);
    }
}
