using System.Data;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary>What a rule does with an event now: send it, wait for it to grow, or leave it.</summary>
internal enum RuleVerdict
{
    Drop,
    Wait,
    Send,
}

/// <summary>
/// Judges one event for one rule inside the rules' transaction, and queues what it sends. Zones, labels, minimum peak
/// and duration, and the adaptive test can turn from no to yes while an event is open (the node reports a new zone or
/// label, its peak grows, its length passes the minimum), so such an event waits in <c>notification_rule_waits</c> and
/// is judged again on later passes. Its kind, camera and start cannot change: a mismatch there is final.
/// </summary>
internal static class RuleJudge
{
    /// <summary>An event open longer than this is no longer waited for: its node most likely died before closing it.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>When time alone can change the verdict on a waiting event: its minimum duration reached, or the longest wait over.</summary>
    public static DateTimeOffset RecheckAt(NotificationRule rule, RuleEvent e)
    {
        var giveUp = e.Start + MaxWait;
        return rule.MinDurationSeconds is { } seconds && e.Start.AddSeconds(seconds) < giveUp ? e.Start.AddSeconds(seconds) : giveUp;
    }

    public static async Task<RuleVerdict> JudgeAsync(IDbConnection connection, IDbTransaction transaction, NotificationRule rule, RuleEvent e, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (!rule.MatchesFixed(e, zone))
        {
            return RuleVerdict.Drop;
        }

        if (!rule.MatchesContent(e)
            || !rule.MeetsMinimums(e, now)
            || (rule.Adaptive is { } adaptive && !await UnusualAsync(connection, transaction, adaptive, e).ConfigureAwait(false)))
        {
            return e.End is null && now - e.Start < MaxWait ? RuleVerdict.Wait : RuleVerdict.Drop;
        }

        // The cooldown is spent only by an event that is sent, so it is checked last.
        return rule.CooldownSeconds == 0 || await CooledDownAsync(connection, transaction, rule, e).ConfigureAwait(false) ? RuleVerdict.Send : RuleVerdict.Drop;
    }

    /// <summary>Writes one pending delivery per channel of the rule (an event already queued for a channel is not queued again); returns how many.</summary>
    public static async Task<int> QueueAsync(IDbConnection connection, IDbTransaction transaction, NotificationRule rule, long eventId, IReadOnlySet<long> channels, long nowMs)
    {
        var queued = 0;
        foreach (var channel in rule.Channels.Where(channels.Contains))
        {
            queued += await connection.ExecuteAsync(
                """
                INSERT INTO notification_deliveries (event_id, channel_id, rule_id, rule_name, status, next_attempt_ms, created_ms)
                VALUES (@Event, @Channel, @Rule, @RuleName, 'pending', @Now, @Now)
                ON CONFLICT (event_id, channel_id) DO NOTHING
                """,
                new { Event = eventId, Channel = channel, Rule = rule.Id, RuleName = rule.Name, Now = nowMs },
                transaction).ConfigureAwait(false);
        }

        return queued;
    }

    /// <summary>The adaptive test, on the peaks of the camera's earlier events of the same kind in the 24 h before this one.</summary>
    private static async Task<bool> UnusualAsync(IDbConnection connection, IDbTransaction transaction, RuleAdaptive adaptive, RuleEvent e)
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

    private static async Task<bool> CooledDownAsync(IDbConnection connection, IDbTransaction transaction, NotificationRule rule, RuleEvent e)
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
}
