using System.Data;
using CctvEdge.Protocol.V1;
using Dapper;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// An event a previous run did not settle, with the last frame its camera delivered: left open (<see cref="Ended"/>
/// false), or ended with no clip job covering its end yet.
/// </summary>
internal sealed record LeftOpenEvent(string CameraId, string PluginId, Event Event, DateTimeOffset LastSeen, bool Ended);

/// <summary>
/// The SQL of the open_events table. Tracking happens where every result row is inserted (<see cref="ResultRows"/>), in
/// the same transaction, so the host (not each plugin) knows durably which events are open: a plugin cannot forget it,
/// and the list cannot disagree with what the server will receive. An ended event stays until a clip job covering its
/// end is committed (<see cref="SettleAsync"/>, in the job's transaction) or it is older than anyone would clip.
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
        return connection.ExecuteAsync(
            """
            INSERT INTO open_events (camera_id, plugin_id, event_id, event, last_seen_ms, ended_ms) VALUES (@Camera, @Plugin, @Id, @Event, @Start, @End)
            ON CONFLICT (camera_id, plugin_id, event_id) DO UPDATE
            SET event = excluded.event, last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms), ended_ms = excluded.ended_ms
            """,
            new
            {
                key.Camera,
                key.Plugin,
                key.Id,
                Event = e.ToByteArray(),
                Start = e.Start?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0,
                End = e.End?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            },
            transaction);
    }

    /// <summary>Forgets the camera's ended events whose end lies in a clip job's window: their clip is as durable as the job.</summary>
    public static Task<int> SettleAsync(SqliteConnection connection, IDbTransaction transaction, string cameraId, DateTimeOffset jobStart, DateTimeOffset jobEnd) =>
        connection.ExecuteAsync(
            "DELETE FROM open_events WHERE camera_id = @Camera AND ended_ms BETWEEN @From AND @To",
            new { Camera = cameraId, From = jobStart.ToUnixTimeMilliseconds(), To = jobEnd.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>Forgets ended events no clip job covered before <paramref name="endedBefore"/>: nobody records them.</summary>
    public static Task<int> ForgetEndedAsync(SqliteConnection connection, IDbTransaction transaction, DateTimeOffset endedBefore) =>
        connection.ExecuteAsync("DELETE FROM open_events WHERE ended_ms < @Before", new { Before = endedBefore.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Moves the last-seen time of a camera's open events forward (never back).</summary>
    public static Task<int> TouchAsync(SqliteConnection connection, IDbTransaction transaction, string cameraId, DateTimeOffset lastFrame) =>
        connection.ExecuteAsync(
            "UPDATE open_events SET last_seen_ms = @Ms WHERE camera_id = @Camera AND ended_ms IS NULL AND last_seen_ms < @Ms",
            new { Camera = cameraId, Ms = lastFrame.ToUnixTimeMilliseconds() },
            transaction);

    public static async Task<IReadOnlyList<LeftOpenEvent>> ReadAllAsync(SqliteConnection connection)
    {
        var rows = await connection.QueryAsync<(string CameraId, string PluginId, byte[] Event, long LastSeenMs, bool Ended)>(
            "SELECT camera_id, plugin_id, event, last_seen_ms, ended_ms IS NOT NULL FROM open_events ORDER BY last_seen_ms").ConfigureAwait(false);
        return rows.Select(r => new LeftOpenEvent(r.CameraId, r.PluginId, Event.Parser.ParseFrom(r.Event), DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeenMs), r.Ended)).ToList();
    }
}
