using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Storage;

/// <summary>
/// The motion-minute peaks of one transaction, gathered before they are written: a node reports its magnitude about
/// once a second per camera, so a replayed backlog of a thousand results touches a handful of minutes, and one
/// upsert a minute replaces one a result.
/// </summary>
internal sealed class MotionPeaks
{
    private readonly Dictionary<(string NodeId, string CameraId, long MinuteMs), double> _peaks = [];

    public void Add(string nodeId, string cameraId, long atMs, double value)
    {
        var key = (nodeId, cameraId, atMs / MotionMinutes.MinuteMs * MotionMinutes.MinuteMs);
        _peaks[key] = _peaks.TryGetValue(key, out var peak) ? Math.Max(peak, value) : value;
    }

    public void Write(PreparedStatements statements, SqlDialect dialect)
    {
        foreach (var ((nodeId, cameraId, minute), peak) in _peaks)
        {
            statements.Execute(MotionMinutes.UpsertSql.For(dialect), ("@NodeId", nodeId), ("@CameraId", cameraId), ("@At", minute), ("@Value", peak));
        }
    }
}
