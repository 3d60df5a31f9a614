using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Storage;

/// <summary>The per-minute rollup of the motion series (table <c>motion_minutes</c>) that day-long graphs read.</summary>
internal static class MotionMinutes
{
    /// <summary>The measurement the motion plugin reports about once a second per camera.</summary>
    public const string Series = "motion.magnitude";

    /// <summary>Buckets at least this long are read from the rollup; shorter ones (the player's) from the raw series.</summary>
    public const long MinuteMs = 60_000;

    /// <summary>Keeps the minute's peak; parameters @NodeId, @CameraId, @At (ms), @Value.</summary>
    public static readonly DialectSql UpsertSql = new(d =>
        "INSERT INTO motion_minutes (node_id, camera_id, minute_ms, peak) VALUES (@NodeId, @CameraId, (@At / 60000) * 60000, @Value) "
        + $"ON CONFLICT (node_id, camera_id, minute_ms) DO UPDATE SET peak = {d.Greatest("motion_minutes.peak", "excluded.peak")}");
}
