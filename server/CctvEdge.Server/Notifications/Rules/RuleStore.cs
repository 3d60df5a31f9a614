using System.Text.Json;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary>The notification_rules table; a rule's definition is kept as the JSON the API shows.</summary>
internal sealed class RuleStore(ServerDatabase database, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<NotificationRule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<(long Id, string Definition)>("SELECT id, definition FROM notification_rules ORDER BY name").ConfigureAwait(false))
            .Select(r => Read(r.Id, r.Definition))
            .ToList();
    }

    /// <summary>Creates a rule (<paramref name="id"/> null) or replaces one; channel ids must exist (checked in the same transaction).</summary>
    public Task<(SaveOutcome Outcome, long Id, IReadOnlyList<long> UnknownChannels)> SaveAsync(long? id, NotificationRule rule, CancellationToken cancellationToken) =>
        database.WriteAsync<(SaveOutcome, long, IReadOnlyList<long>)>(
            async (connection, transaction) =>
            {
                var known = (await connection.QueryAsync<long>("SELECT id FROM notification_channels", transaction: transaction).ConfigureAwait(false)).ToHashSet();
                var unknown = rule.Channels.Where(c => !known.Contains(c)).ToList();
                if (unknown.Count > 0)
                {
                    return (SaveOutcome.NotFound, id ?? 0, unknown);
                }

                if (await connection.NameTakenByAsync("notification_rules", rule.Name, id, transaction).ConfigureAwait(false) is { } taken)
                {
                    return (SaveOutcome.NameTaken, taken, []);
                }

                var values = new { Id = id, rule.Name, Definition = JsonSerializer.Serialize(rule with { Id = 0 }, Json), Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                if (id is null)
                {
                    return (SaveOutcome.Saved, await connection.ExecuteScalarAsync<long>(
                        "INSERT INTO notification_rules (name, definition, created_ms, updated_ms) VALUES (@Name, @Definition, @Now, @Now) RETURNING id",
                        values, transaction).ConfigureAwait(false), []);
                }

                var updated = await connection.ExecuteAsync(
                    "UPDATE notification_rules SET name = @Name, definition = @Definition, updated_ms = @Now WHERE id = @Id", values, transaction).ConfigureAwait(false);
                return (updated > 0 ? SaveOutcome.Saved : SaveOutcome.NotFound, id.Value, []);
            },
            cancellationToken);

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM notification_rules WHERE id = @Id", new { Id = id }, transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    internal static NotificationRule Read(long id, string definition) =>
        (JsonSerializer.Deserialize<NotificationRule>(definition, Json) ?? new NotificationRule()) with { Id = id };
}
