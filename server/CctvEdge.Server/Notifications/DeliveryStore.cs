using System.Text.Json;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Storage.Database;
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

    /// <summary>Labels server processors added to the event, empty when none.</summary>
    public string AnalysisJson { get; init; } = "";
}

/// <summary>
/// The durable delivery outbox: rules turn new events into one row per event and channel, written (with the rules'
/// watermark and cooldowns) in one transaction before anything is sent; the dispatcher marks each sent, retried or
/// dead. A row marked sent is never sent again, across restarts.
/// </summary>
internal sealed class DeliveryStore(ServerDatabase database, TimeProvider clock)
{
    private const string WatermarkKey = "rules.last_event_id";
    private const string AnalysisWatermarkKey = "rules.last_analysis_seq";

    /// <summary>
    /// Applies the rules to up to <paramref name="batch"/> events stored since the last call; returns the events read,
    /// the deliveries queued and whether events remain. An open event a rule cannot send yet waits for the next passes
    /// (<see cref="QueueWaitingAsync"/>).
    /// </summary>
    public Task<(int Events, int Queued, bool More)> QueueNewAsync(TimeZoneInfo zone, int batch, CancellationToken cancellationToken) =>
        JudgeInOrderAsync(WatermarkKey, "e.id", "", zone, batch, cancellationToken);

    /// <summary>
    /// Applies the rules again to up to <paramref name="batch"/> events a processor labelled since the last call (central
    /// detection labels an event after it was stored and judged), in labelling order; events the first pass has not
    /// reached yet are left to it. An event is still sent at most once per channel, and a rule's cooldown holds.
    /// </summary>
    public Task<(int Events, int Queued, bool More)> QueueLabelledAsync(TimeZoneInfo zone, int batch, CancellationToken cancellationToken) =>
        JudgeInOrderAsync(AnalysisWatermarkKey, "e.analysis_seq", $" AND e.id <= COALESCE(({SettingsTable.NumberSql($"'{WatermarkKey}'")}), 0)", zone, batch, cancellationToken);

    /// <summary>Judges the events past the watermark kept under <paramref name="key"/> in the order of <paramref name="order"/>, then moves it.</summary>
    private Task<(int Events, int Queued, bool More)> JudgeInOrderAsync(string key, string order, string also, TimeZoneInfo zone, int batch, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var after = await SettingsTable.ReadNumberAsync(connection, transaction, key).ConfigureAwait(false);
            var events = (await connection.QueryAsync<RuleEventRow>(
                $"SELECT CAST(0 AS BIGINT) AS RuleId, {order} AS OrderKey, {RuleEventRow.Columns} FROM events e WHERE {order} > @After{also} ORDER BY {order} LIMIT @Batch",
                new { After = after, Batch = batch },
                transaction).ConfigureAwait(false)).ToList();
            if (events.Count == 0)
            {
                return (0, 0, false);
            }

            var (rules, channels) = await RulesAndChannelsAsync(connection, transaction).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var queued = 0;
            foreach (var row in events.Where(e => !e.Deleted))
            {
                var e = row.ToRuleEvent();
                foreach (var rule in rules.Values)
                {
                    switch (await RuleJudge.JudgeAsync(connection, transaction, rule, e, zone, now).ConfigureAwait(false))
                    {
                        case RuleVerdict.Send:
                            queued += await RuleJudge.QueueAsync(connection, transaction, rule, e.Id, channels, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
                            break;
                        case RuleVerdict.Wait:
                            await WaitAsync(connection, transaction, rule, row, e).ConfigureAwait(false);
                            break;
                    }
                }
            }

            await SettingsTable.WriteNumberAsync(connection, transaction, key, events[^1].OrderKey).ConfigureAwait(false);
            return (events.Count, queued, events.Count == batch);
        }, cancellationToken);

    /// <summary>
    /// Judges again every event a rule is waiting on, as it stands now (a grown peak, a longer run, an end): sends it
    /// and stops waiting, stops waiting when it can no longer qualify, or keeps waiting. The wait row goes in the same
    /// transaction as the deliveries, so an event is sent at most once per channel, across restarts.
    /// </summary>
    public async Task<int> QueueWaitingAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        // Only waits whose event changed since it was judged, or whose time has come: a flood of open events that do
        // not qualify is judged once per change, not once per pass. Most passes find none: a read decides that without
        // taking the write lock ingest needs.
        const string Due = "FROM notification_rule_waits w JOIN events e ON e.id = w.event_id WHERE e.sequence > w.judged_sequence OR w.recheck_ms <= @Now OR e.deleted_ms IS NOT NULL";
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var reader = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 {Due})", new { Now = nowMs }).ConfigureAwait(false))
            {
                return 0;
            }
        }

        return await database.WriteAsync(async (connection, transaction) =>
        {
            var waiting = (await connection.QueryAsync<RuleEventRow>(
                $"SELECT w.rule_id AS RuleId, {RuleEventRow.Columns} {Due} ORDER BY e.id",
                new { Now = nowMs },
                transaction).ConfigureAwait(false)).ToList();
            if (waiting.Count == 0)
            {
                return 0;
            }

            var (rules, channels) = await RulesAndChannelsAsync(connection, transaction).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var queued = 0;
            foreach (var row in waiting)
            {
                var verdict = row.Deleted || !rules.TryGetValue(row.RuleId, out var rule)
                    ? RuleVerdict.Drop
                    : await RuleJudge.JudgeAsync(connection, transaction, rule, row.ToRuleEvent(), zone, now).ConfigureAwait(false);
                if (verdict == RuleVerdict.Wait)
                {
                    await WaitAsync(connection, transaction, rules[row.RuleId], row, row.ToRuleEvent()).ConfigureAwait(false);
                    continue;
                }

                if (verdict == RuleVerdict.Send)
                {
                    queued += await RuleJudge.QueueAsync(connection, transaction, rules[row.RuleId], row.Id, channels, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
                }

                await connection.ExecuteAsync(
                    "DELETE FROM notification_rule_waits WHERE rule_id = @Rule AND event_id = @Event", new { Rule = row.RuleId, Event = row.Id }, transaction).ConfigureAwait(false);
            }

            return queued;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deliveries whose time has come, oldest first, with their events.</summary>
    public async Task<IReadOnlyList<DeliveryWork>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<DeliveryWork>(
            """
            SELECT d.id, d.event_id, d.channel_id, d.rule_name, d.attempts,
                   e.node_id, COALESCE(NULLIF(n.name, ''), e.node_id) AS node_name, e.camera_id,
                   COALESCE(c.name, NULLIF(e.camera_id, ''), 'node') AS camera_name, e.kind, e.start_ms, e.end_ms, e.peak, e.zones_json, e.payload_json, e.analysis_json
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
    /// sent again for a deleted row: rules only queue events past the <c>rules.last_event_id</c> watermark, and those
    /// they wait on for at most a day.
    /// </summary>
    public Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "DELETE FROM notification_deliveries WHERE status IN ('sent', 'dead') AND created_ms < @Before",
                new { Before = before.ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>The enabled rules by id, and the channels that exist.</summary>
    private static async Task<(Dictionary<long, NotificationRule> Rules, HashSet<long> Channels)> RulesAndChannelsAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction)
    {
        var rules = (await connection.QueryAsync<(long Id, string Definition)>("SELECT id, definition FROM notification_rules", transaction: transaction).ConfigureAwait(false))
            .Select(r => RuleStore.Read(r.Id, r.Definition))
            .Where(r => r.Enabled)
            .ToDictionary(r => r.Id);
        var channels = (await connection.QueryAsync<long>("SELECT id FROM notification_channels", transaction: transaction).ConfigureAwait(false)).ToHashSet();
        return (rules, channels);
    }

    /// <summary>Records (or renews) that <paramref name="rule"/> waits on the event as it stands at its sequence.</summary>
    private static Task WaitAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, NotificationRule rule, RuleEventRow row, RuleEvent e) =>
        connection.ExecuteAsync(
            """
            INSERT INTO notification_rule_waits (rule_id, event_id, judged_sequence, recheck_ms) VALUES (@Rule, @Event, @Sequence, @Recheck)
            ON CONFLICT (rule_id, event_id) DO UPDATE SET judged_sequence = excluded.judged_sequence, recheck_ms = excluded.recheck_ms
            """,
            new { Rule = rule.Id, Event = e.Id, row.Sequence, Recheck = RuleJudge.RecheckAt(rule, e).ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>An event as the rules read it (with the rule waiting on it, when read from the waits).</summary>
    private sealed record RuleEventRow
    {
        public const string Columns = "e.id AS Id, e.node_id AS NodeId, e.camera_id AS CameraId, e.kind AS Kind, e.start_ms AS StartMs, e.end_ms AS EndMs, e.zones_json AS ZonesJson, e.payload_json AS PayloadJson, e.analysis_json AS AnalysisJson, e.deleted_ms IS NOT NULL AS Deleted, e.peak AS Peak, e.sequence AS Sequence";

        public long RuleId { get; init; }

        /// <summary>The watermark's column for this row (its id, or its labelling order).</summary>
        public long OrderKey { get; init; }

        public long Id { get; init; }

        public string NodeId { get; init; } = "";

        public string CameraId { get; init; } = "";

        public string Kind { get; init; } = "";

        public long StartMs { get; init; }

        public long? EndMs { get; init; }

        public string ZonesJson { get; init; } = "[]";

        public string PayloadJson { get; init; } = "";

        public string AnalysisJson { get; init; } = "";

        public bool Deleted { get; init; }

        public double Peak { get; init; }

        public long Sequence { get; init; }

        public RuleEvent ToRuleEvent() =>
            new(Id, NodeId, CameraId, Kind, DateTimeOffset.FromUnixTimeMilliseconds(StartMs), Zones(ZonesJson), Peak)
            {
                End = EndMs is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
                Labels = EventLabels.Read(PayloadJson, AnalysisJson),
            };
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
