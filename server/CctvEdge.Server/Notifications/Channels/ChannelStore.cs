using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Channels;

internal sealed record ChannelRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Settings { get; init; } = "{}";
    public string Secrets { get; init; } = "";
    public long? LastSentMs { get; init; }
    public string LastError { get; init; } = "";
    public long? LastErrorMs { get; init; }
    public long Pending { get; init; }
    public long Sent { get; init; }
    public long Dead { get; init; }
}

/// <summary>The notification_channels table; the API and the page also read each channel's delivery counts.</summary>
internal sealed class ChannelStore(ServerDatabase database, TimeProvider clock)
{
    private const string Select = "SELECT * FROM notification_channels c";

    private const string SelectWithCounts =
        """
        SELECT c.*,
               (SELECT COUNT(*) FROM notification_deliveries d WHERE d.channel_id = c.id AND d.status = 'pending') AS pending,
               (SELECT COUNT(*) FROM notification_deliveries d WHERE d.channel_id = c.id AND d.status = 'sent') AS sent,
               (SELECT COUNT(*) FROM notification_deliveries d WHERE d.channel_id = c.id AND d.status = 'dead') AS dead
        FROM notification_channels c
        """;

    /// <summary>Every channel without its counts: what the dispatcher and the Telegram poller need, several times a minute.</summary>
    public Task<IReadOnlyList<ChannelRow>> ListAsync(CancellationToken cancellationToken) => QueryAsync(Select + " ORDER BY c.name", null, cancellationToken);

    /// <summary>Every channel with its pending, sent and dead deliveries counted, for the API and the page.</summary>
    public Task<IReadOnlyList<ChannelRow>> ListWithCountsAsync(CancellationToken cancellationToken) =>
        QueryAsync(SelectWithCounts + " ORDER BY c.name", null, cancellationToken);

    public async Task<ChannelRow?> FindAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync(Select + " WHERE c.id = @Id", new { Id = id }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<ChannelRow?> FindWithCountsAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync(SelectWithCounts + " WHERE c.id = @Id", new { Id = id }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    private async Task<IReadOnlyList<ChannelRow>> QueryAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ChannelRow>(sql, parameters).ConfigureAwait(false)).ToList();
    }

    /// <summary>Creates a channel (<paramref name="id"/> null) or replaces one's name, kind, settings and secrets.</summary>
    public Task<(SaveOutcome Outcome, long Id)> SaveAsync(long? id, string name, string kind, string settings, string secrets, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.NameTakenByAsync("notification_channels", name, id, transaction).ConfigureAwait(false) is { } taken)
                {
                    return (SaveOutcome.NameTaken, taken);
                }

                var values = new { Id = id, Name = name, Kind = kind, Settings = settings, Secrets = secrets, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                if (id is null)
                {
                    return (SaveOutcome.Saved, await connection.ExecuteScalarAsync<long>(
                        """
                        INSERT INTO notification_channels (name, kind, settings, secrets, created_ms, updated_ms)
                        VALUES (@Name, @Kind, @Settings, @Secrets, @Now, @Now) RETURNING id
                        """, values, transaction).ConfigureAwait(false));
                }

                var updated = await connection.ExecuteAsync(
                    "UPDATE notification_channels SET name = @Name, kind = @Kind, settings = @Settings, secrets = @Secrets, updated_ms = @Now WHERE id = @Id",
                    values, transaction).ConfigureAwait(false);
                return (updated > 0 ? SaveOutcome.Saved : SaveOutcome.NotFound, id.Value);
            },
            cancellationToken);

    /// <summary>Deletes a channel and its deliveries, sent or not.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM notification_channels WHERE id = @Id", new { Id = id }, transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Keeps the channel's last success or its last error outside a delivery (a test send, reading Telegram's buttons).</summary>
    public Task RecordAsync(long id, string? error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                error is null
                    ? "UPDATE notification_channels SET last_sent_ms = @Now WHERE id = @Id"
                    : "UPDATE notification_channels SET last_error = @Error, last_error_ms = @Now WHERE id = @Id",
                new { Id = id, Error = error ?? "", Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);
}
