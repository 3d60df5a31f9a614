using System.Globalization;
using System.Text.Json;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Storage;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Notifications;

/// <summary>A delivery due to be sent, with what the message shows of its event.</summary>
internal sealed record DeliveryWork
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public long ChannelId { get; init; }
    public string RuleName { get; init; } = "";
    public int Attempts { get; init; }
    public string NodeId { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string CameraId { get; init; } = "";
    public string CameraName { get; init; } = "";
    public string Kind { get; init; } = "";
    public long StartMs { get; init; }
    public long? EndMs { get; init; }
    public double Peak { get; init; }
    public string ZonesJson { get; init; } = "[]";
    public string PayloadJson { get; init; } = "";
}

/// <summary>
/// The durable delivery outbox: rules turn new events into one row per event and channel, written (with the rules'
/// watermark and cooldowns) in one transaction before anything is sent; the dispatcher marks each sent, retried or
/// dead. A row marked sent is never sent again, across restarts.
/// </summary>
internal sealed class DeliveryStore(SqliteDatabase database, TimeProvider clock)
{
    private const string WatermarkKey = "rules.last_event_id";

    /// <summary>Applies the rules to up to <paramref name="batch"/> events stored since the last call; returns the events read, the deliveries queued and whether events remain.</summary>
    public Task<(int Events, int Queued, bool More)> QueueNewAsync(TimeZoneInfo zone, int batch, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var after = await connection.ExecuteScalarAsync<long>($"SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{WatermarkKey}'), 0)", transaction: transaction).ConfigureAwait(false);
            var events = (await connection.QueryAsync<(long Id, string NodeId, string CameraId, string Kind, long StartMs, string ZonesJson, bool Deleted, double Peak)>(
                "SELECT id, node_id, camera_id, kind, start_ms, zones_json, deleted_ms IS NOT NULL, peak FROM events WHERE id > @After ORDER BY id LIMIT @Batch",
                new { After = after, Batch = batch },
                transaction).ConfigureAwait(false)).ToList();
            if (events.Count == 0)
            {
                return (0, 0, false);
            }

            var rules = (await connection.QueryAsync<(long Id, string Definition)>("SELECT id, definition FROM notification_rules", transaction: transaction).ConfigureAwait(false))
                .Select(r => RuleStore.Read(r.Id, r.Definition))
                .Where(r => r.Enabled)
                .ToList();
            var channels = (await connection.QueryAsync<long>("SELECT id FROM notification_channels", transaction: transaction).ConfigureAwait(false)).ToHashSet();
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var queued = 0;
            foreach (var row in events.Where(e => !e.Deleted))
            {
                var e = new RuleEvent(row.Id, row.NodeId, row.CameraId, row.Kind, DateTimeOffset.FromUnixTimeMilliseconds(row.StartMs), Zones(row.ZonesJson), row.Peak);
                foreach (var rule in rules.Where(r => r.Matches(e, zone)))
                {
                    if (rule.Adaptive is { } adaptive && !await UnusualAsync(connection, transaction, adaptive, e).ConfigureAwait(false))
                    {
                        continue;
                    }

                    if (rule.CooldownSeconds > 0 && !await CooledDownAsync(connection, transaction, rule, e).ConfigureAwait(false))
                    {
                        continue;
                    }

                    foreach (var channel in rule.Channels.Where(channels.Contains))
                    {
                        queued += await connection.ExecuteAsync(
                            """
                            INSERT INTO notification_deliveries (event_id, channel_id, rule_id, rule_name, status, next_attempt_ms, created_ms)
                            VALUES (@Event, @Channel, @Rule, @RuleName, 'pending', @Now, @Now)
                            ON CONFLICT (event_id, channel_id) DO NOTHING
                            """,
                            new { Event = e.Id, Channel = channel, Rule = rule.Id, RuleName = rule.Name, Now = now },
                            transaction).ConfigureAwait(false);
                    }
                }
            }

            await connection.ExecuteAsync(
                $"INSERT INTO settings (key, value) VALUES ('{WatermarkKey}', @Last) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                new { Last = events[^1].Id.ToString(CultureInfo.InvariantCulture) },
                transaction).ConfigureAwait(false);
            return (events.Count, queued, events.Count == batch);
        }, cancellationToken);

    /// <summary>Deliveries whose time has come, oldest first, with their events.</summary>
    public async Task<IReadOnlyList<DeliveryWork>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<DeliveryWork>(
            """
            SELECT d.id, d.event_id, d.channel_id, d.rule_name, d.attempts,
                   e.node_id, COALESCE(NULLIF(n.name, ''), e.node_id) AS node_name, e.camera_id,
                   COALESCE(c.name, NULLIF(e.camera_id, ''), 'node') AS camera_name, e.kind, e.start_ms, e.end_ms, e.peak, e.zones_json, e.payload_json
            FROM notification_deliveries d
            JOIN events e ON e.id = d.event_id
            LEFT JOIN nodes n ON n.id = e.node_id
            LEFT JOIN cameras c ON c.node_id = e.node_id AND c.id = e.camera_id
            WHERE d.status = 'pending' AND d.next_attempt_ms <= @Now
            ORDER BY d.next_attempt_ms, d.id
            LIMIT @Limit
            """,
            new { Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), Limit = limit }).ConfigureAwait(false)).ToList();
    }

    /// <summary>When the next pending delivery is due; null when none is pending.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ms = await connection.ExecuteScalarAsync<long?>("SELECT MIN(next_attempt_ms) FROM notification_deliveries WHERE status = 'pending'").ConfigureAwait(false);
        return ms is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    /// <summary>Records a delivery the channel took, and the channel's last success, in one transaction.</summary>
    public Task MarkSentAsync(long id, long channelId, string externalId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                UPDATE notification_deliveries SET status = 'sent', attempts = attempts + 1, sent_ms = @Now, external_id = @External, last_error = '' WHERE id = @Id;
                UPDATE notification_channels SET last_sent_ms = @Now WHERE id = @Channel;
                """,
                new { Id = id, Channel = channelId, External = externalId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>Records a failed attempt and the channel's last error: tried again at <paramref name="retryAt"/>, or dead when null.</summary>
    public Task MarkFailedAsync(long id, long channelId, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                UPDATE notification_deliveries
                SET attempts = attempts + 1, last_error = @Error, status = CASE WHEN @Retry IS NULL THEN 'dead' ELSE 'pending' END,
                    next_attempt_ms = COALESCE(@Retry, next_attempt_ms)
                WHERE id = @Id;
                UPDATE notification_channels SET last_error = @Error, last_error_ms = @Now WHERE id = @Channel;
                """,
                new { Id = id, Channel = channelId, Error = error, Retry = retryAt?.ToUnixTimeMilliseconds(), Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>Waits the delivery (and the rest of its channel's queue) out until <paramref name="at"/> without counting an attempt: the channel's rate limit.</summary>
    public Task PostponeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE notification_deliveries SET next_attempt_ms = @At WHERE id = @Id AND status = 'pending'", new { Id = id, At = at.ToUnixTimeMilliseconds() }, transaction),
            cancellationToken);

    /// <summary>
    /// Deletes sent and dead deliveries created before <paramref name="before"/>; pending ones stay whatever their age.
    /// Events are only soft-deleted, so without this the table would grow with every message ever sent. Nothing is
    /// sent again for a deleted row: rules only queue events past the <c>rules.last_event_id</c> watermark.
    /// </summary>
    public Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "DELETE FROM notification_deliveries WHERE status IN ('sent', 'dead') AND created_ms < @Before",
                new { Before = before.ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>The adaptive test, on the peaks of the camera's earlier events of the same kind in the 24 h before this one.</summary>
    private static async Task<bool> UnusualAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, RuleAdaptive adaptive, RuleEvent e)
    {
        var start = e.Start.ToUnixTimeMilliseconds();
        var (count, mean, squares) = await connection.QuerySingleAsync<(long, double, double)>(
            """
            SELECT COUNT(*), COALESCE(AVG(peak), 0), COALESCE(AVG(peak * peak), 0) FROM events
            WHERE node_id = @Node AND camera_id = @Camera AND kind = @Kind AND start_ms >= @From AND start_ms <= @Start AND id < @Id AND deleted_ms IS NULL
            """,
            new { Node = e.NodeId, Camera = e.CameraId, e.Kind, From = start - (long)TimeSpan.FromDays(1).TotalMilliseconds, Start = start, e.Id },
            transaction).ConfigureAwait(false);
        return adaptive.IsUnusual(e, count, mean, squares);
    }

    private static async Task<bool> CooledDownAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, NotificationRule rule, RuleEvent e)
    {
        var start = e.Start.ToUnixTimeMilliseconds();
        var last = await connection.ExecuteScalarAsync<long?>(
            "SELECT last_ms FROM notification_cooldowns WHERE rule_id = @Rule AND node_id = @Node AND camera_id = @Camera",
            new { Rule = rule.Id, Node = e.NodeId, Camera = e.CameraId },
            transaction).ConfigureAwait(false);
        if (last is { } sent && start - sent < rule.CooldownSeconds * 1000L)
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO notification_cooldowns (rule_id, node_id, camera_id, last_ms) VALUES (@Rule, @Node, @Camera, @Start)
            ON CONFLICT (rule_id, node_id, camera_id) DO UPDATE SET last_ms = excluded.last_ms
            """,
            new { Rule = rule.Id, Node = e.NodeId, Camera = e.CameraId, Start = start },
            transaction).ConfigureAwait(false);
        return true;
    }

    private static string[] Zones(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
