using System.Globalization;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Trends;

/// <summary>Event time per camera, kinds and window, and the once-a-day trend event with its deliveries.</summary>
internal sealed class DayOverDayStore(ServerDatabase database, TimeProvider clock)
{
    // Each event's part inside the window, summed as BIGINT (PostgreSQL's SUM of BIGINT is NUMERIC).
    private static readonly DialectSql EventMsSql = new(dialect =>
        $"""
        SELECT CAST(COALESCE(SUM({dialect.Least("COALESCE(end_ms, @Now)", "@To")} - {dialect.Greatest("start_ms", "@From")}), 0) AS BIGINT) FROM events
        WHERE node_id = @Node AND camera_id = @Camera AND {dialect.In("kind", "@Kinds")} AND deleted_ms IS NULL
          AND start_ms < @To AND COALESCE(end_ms, @Now) > @From
        """);

    private static readonly DialectSql QueueSql = new(dialect =>
        $"""
        INSERT INTO notification_deliveries (event_id, channel_id, rule_id, rule_name, status, next_attempt_ms, created_ms)
        SELECT @Event, id, @Rule, @RuleName, 'pending', @Now, @Now FROM notification_channels WHERE {dialect.In("id", "@Channels")}
        ON CONFLICT (event_id, channel_id) DO NOTHING
        """);

    /// <summary>Seconds of the events of <paramref name="kinds"/> of one camera inside [from, to); an open event counts until now.</summary>
    public async Task<double> EventSecondsAsync(string nodeId, string cameraId, IReadOnlyList<string> kinds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<long>(
            EventMsSql.For(database.Dialect),
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
                    QueueSql.For(database.Dialect),
                    new { Event = eventId, Rule = ruleId, RuleName = ruleName, Now = now.ToUnixTimeMilliseconds(), Channels = channels },
                    transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
