using System.Data;
using CctvEdge.Protocol.V1;
using Dapper;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace CctvEdge.Node.Outbox;

/// <summary>An event a previous run published open and never closed, with the last frame its camera delivered.</summary>
internal sealed record LeftOpenEvent(string CameraId, string PluginId, Event Event, DateTimeOffset LastSeen);

/// <summary>
/// The SQL of the open_events table. Tracking happens where every result row is inserted (<see cref="ResultRows"/>), in
/// the same transaction, so the host (not each plugin) knows durably which events are open: a plugin cannot forget it,
/// and the list cannot disagree with what the server will receive.
/// </summary>
internal static class OpenEventRows
{
    /// <summary>Opens, updates or closes the row of an event result; other results are left alone.</summary>
    public static Task TrackAsync(SqliteConnection connection, IDbTransaction transaction, Result result)
    {
        if (result.BodyCase != Result.BodyOneofCase.Event)
        {
            return Task.CompletedTask;
        }

        var e = result.Event;
        var key = new { Camera = result.CameraId, Plugin = result.PluginId, Id = e.EventId };
        if (e.End is not null)
        {
            return connection.ExecuteAsync("DELETE FROM open_events WHERE camera_id = @Camera AND plugin_id = @Plugin AND event_id = @Id", key, transaction);
        }

        return connection.ExecuteAsync(
            """
            INSERT INTO open_events (camera_id, plugin_id, event_id, event, last_seen_ms) VALUES (@Camera, @Plugin, @Id, @Event, @Start)
            ON CONFLICT (camera_id, plugin_id, event_id) DO UPDATE SET event = excluded.event, last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)
            """,
            new { key.Camera, key.Plugin, key.Id, Event = e.ToByteArray(), Start = e.Start?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0 },
            transaction);
    }

    /// <summary>Moves the last-seen time of a camera's open events forward (never back).</summary>
    public static Task<int> TouchAsync(SqliteConnection connection, IDbTransaction transaction, string cameraId, DateTimeOffset lastFrame) =>
        connection.ExecuteAsync(
            "UPDATE open_events SET last_seen_ms = @Ms WHERE camera_id = @Camera AND last_seen_ms < @Ms",
            new { Camera = cameraId, Ms = lastFrame.ToUnixTimeMilliseconds() },
            transaction);

    public static async Task<IReadOnlyList<LeftOpenEvent>> ReadAllAsync(SqliteConnection connection)
    {
        var rows = await connection.QueryAsync<(string CameraId, string PluginId, byte[] Event, long LastSeenMs)>(
            "SELECT camera_id, plugin_id, event, last_seen_ms FROM open_events ORDER BY last_seen_ms").ConfigureAwait(false);
        return rows.Select(r => new LeftOpenEvent(r.CameraId, r.PluginId, Event.Parser.ParseFrom(r.Event), DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeenMs))).ToList();
    }
}
