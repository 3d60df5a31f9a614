using CctvEdge.Server.Notifications;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Storage;
using CctvEdge.Harness;
using CctvEdge.Web.Services;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>
/// A migrated store with a node, a camera and one channel, and the rules' delivery store over it on a fake clock, for
/// judging events without a server. <see cref="RestartAsync"/> opens new objects on the same file, as a restart does.
/// Everything goes through <see cref="ServerDatabase"/> in SQL both engines accept.
/// </summary>
internal sealed class RuleFixture : IDisposable
{
    private const string FileName = "cctvedge.db";
    private readonly TempDirectory _temp = new("cctvedge-rules");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    public ServerDatabase Database { get; private set; } = null!;

    public DeliveryStore Deliveries => new(Database, Clock);

    public long Channel { get; private set; }

    public static async Task<RuleFixture> CreateAsync()
    {
        var fixture = new RuleFixture();
        fixture.Database = await fixture.OpenAsync();
        await using var connection = await fixture.Database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO nodes (id, name, first_seen_ms, last_seen_ms) VALUES ('barn', 'Barn', 0, 0)");
        fixture.Channel = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO notification_channels (name, kind, settings, created_ms, updated_ms) VALUES ('Hook', 'webhook', '{}', 0, 0) RETURNING id");
        return fixture;
    }

    /// <summary>Saves a rule sending to the channel; returns its id.</summary>
    public async Task<long> RuleAsync(NotificationRule rule)
    {
        var (outcome, id, _) = await new RuleStore(Database, Clock).SaveAsync(null, rule with { Channels = [Channel] }, CancellationToken.None);
        Assert.Equal(SaveOutcome.Saved, outcome);
        return id;
    }

    /// <summary>Stores an event or, with the same <paramref name="eventId"/>, updates it as a node's later result would (a newer sequence).</summary>
    public async Task<long> EventAsync(string eventId, DateTimeOffset start, DateTimeOffset? end, double peak, string payload = "", string kind = "motion", string zones = "[\"gate\"]")
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, end_ms, peak, zones_json, payload_json, sequence, received_ms)
            VALUES ('barn', @EventId, 'yard', 'motion', @Kind, @Start, @End, @Peak, @Zones, @Payload, 1, 0)
            ON CONFLICT (node_id, event_id) DO UPDATE SET end_ms = excluded.end_ms, peak = excluded.peak, zones_json = excluded.zones_json, payload_json = excluded.payload_json, sequence = events.sequence + 1
            RETURNING id
            """,
            new { EventId = eventId, Kind = kind, Start = start.ToUnixTimeMilliseconds(), End = end?.ToUnixTimeMilliseconds(), Peak = peak, Payload = payload, Zones = zones });
    }

    /// <summary>One rules pass, as the stage runs it: new events, then the waiting ones.</summary>
    public async Task PassAsync()
    {
        while ((await Deliveries.QueueNewAsync(TimeZoneInfo.Utc, 500, CancellationToken.None)).More)
        {
        }

        await Deliveries.QueueWaitingAsync(TimeZoneInfo.Utc, CancellationToken.None);
    }

    /// <summary>The events queued for the channel, in order.</summary>
    public async Task<IReadOnlyList<long>> QueuedAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<long>("SELECT event_id FROM notification_deliveries ORDER BY id")).ToList();
    }

    public async Task<long> WaitingAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notification_rule_waits");
    }

    /// <summary>New store objects on the same file: nothing survives but what is in the database.</summary>
    public async Task RestartAsync() => Database = await OpenAsync();

    public void Dispose() => _temp.Dispose();

    private async Task<ServerDatabase> OpenAsync()
    {
        var database = new SqliteServerDatabase(new SqliteDatabase(_temp.Combine(FileName), NullLogger.Instance));
        await database.MigrateAsync(CancellationToken.None);
        return database;
    }
}
