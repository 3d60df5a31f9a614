using System.Globalization;
using CctvEdge.Storage;
using Dapper;

namespace CctvEdge.Server.Notifications.Trends;

/// <summary>Event time per camera, kinds and window, and the once-a-day trend event with its deliveries.</summary>
internal sealed class DayOverDayStore(SqliteDatabase database, TimeProvider clock)
{
    /// <summary>Seconds of the events of <paramref name="kinds"/> of one camera inside [from, to); an open event counts until now.</summary>
    public async Task<double> EventSecondsAsync(string nodeId, string cameraId, IReadOnlyList<string> kinds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<long>(
            """
            SELECT COALESCE(SUM(MIN(COALESCE(end_ms, @Now), @To) - MAX(start_ms, @From)), 0) FROM events
            WHERE node_id = @Node AND camera_id = @Camera AND kind IN @Kinds AND deleted_ms IS NULL
              AND start_ms < @To AND COALESCE(end_ms, @Now) > @From
            """,
            new { Node = nodeId, Camera = cameraId, Kinds = kinds, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
        return ms / 1000.0;
    }

    /// <summary>
    /// Stores the rule's trend event for a camera and day and queues it for the rule's channels, in one transaction;
    /// false when that rule already raised it for that camera today (the event id says rule, camera and day).
    /// </summary>
    public Task<bool> RaiseAsync(long ruleId, string ruleName, IReadOnlyList<long> channels, string nodeId, string cameraId, string kind, DateOnly day, double increase, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = clock.GetUtcNow();
                var eventId = await ServerEvents.InsertAsync(
                    connection,
                    transaction,
                    new ServerEvent(
                        nodeId,
                        string.Create(CultureInfo.InvariantCulture, $"server-trend-{ruleId}-{cameraId}-{day:yyyyMMdd}"),
                        cameraId,
                        kind,
                        now,
                        now,
                        Math.Round(increase, 1),
                        new { reason, increasePercent = Math.Round(increase, 1) }),
                    now).ConfigureAwait(false);
                if (eventId is null)
                {
                    return false;
                }

                await connection.ExecuteAsync(
                    """
                    INSERT INTO notification_deliveries (event_id, channel_id, rule_id, rule_name, status, next_attempt_ms, created_ms)
                    SELECT @Event, id, @Rule, @RuleName, 'pending', @Now, @Now FROM notification_channels WHERE id IN @Channels
                    ON CONFLICT (event_id, channel_id) DO NOTHING
                    """,
                    new { Event = eventId, Rule = ruleId, RuleName = ruleName, Now = now.ToUnixTimeMilliseconds(), Channels = channels },
                    transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
