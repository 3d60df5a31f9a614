using System.Data;
using System.Text.Json;
using Dapper;

namespace CctvEdge.Server.Notifications;

/// <summary>An event the server raises itself: an outage, a trend. <c>Peak</c> carries a trend's increase in %.</summary>
internal sealed record ServerEvent(string NodeId, string EventId, string CameraId, string Kind, DateTimeOffset Start, DateTimeOffset? End, double Peak, object Payload);

/// <summary>
/// The server's own events are ordinary rows of <c>events</c> under plugin "server", so rules, channels and the web
/// app treat them as they treat a node's. Their ids start with <c>server-</c>, apart from plugins' own.
/// </summary>
internal static class ServerEvents
{
    public const string PluginId = "server";

    /// <summary>Stores the event in the caller's transaction; its row id, or null when the node already has an event with that id.</summary>
    public static Task<long?> InsertAsync(IDbConnection connection, IDbTransaction transaction, ServerEvent e, DateTimeOffset now) =>
        connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, end_ms, peak, payload_json, sequence, received_ms)
            VALUES (@NodeId, @EventId, @CameraId, @Plugin, @Kind, @Start, @End, @Peak, @Payload, 0, @Now)
            ON CONFLICT (node_id, event_id) DO NOTHING
            RETURNING id
            """,
            new
            {
                e.NodeId,
                e.EventId,
                e.CameraId,
                Plugin = PluginId,
                e.Kind,
                Start = e.Start.ToUnixTimeMilliseconds(),
                End = e.End?.ToUnixTimeMilliseconds(),
                e.Peak,
                Payload = JsonSerializer.Serialize(e.Payload),
                Now = now.ToUnixTimeMilliseconds(),
            },
            transaction);
}
