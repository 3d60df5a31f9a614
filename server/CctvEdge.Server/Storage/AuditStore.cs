using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record AuditRow
{
    public long Id { get; init; }
    public long AtMs { get; init; }
    public string Actor { get; init; } = "";
    public string Via { get; init; } = "";
    public string Action { get; init; } = "";
    public string Target { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string Remote { get; init; } = "";
}

/// <summary>The audit_log table: one row per change, never updated.</summary>
internal sealed class AuditStore(ServerDatabase database, TimeProvider clock)
{
    public Task AddAsync(string actor, string via, string action, string target, string outcome, string remote, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO audit_log (at_ms, actor, via, action, target, outcome, remote) VALUES (@At, @Actor, @Via, @Action, @Target, @Outcome, @Remote)",
                new { At = clock.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor, Via = via, Action = action, Target = target, Outcome = outcome, Remote = remote },
                transaction),
            cancellationToken);

    /// <summary>A change made on one of the web app's pages (their circuits make no HTTP request the middleware would see).</summary>
    public Task PageChangeAsync(string actor, string action, string target, string outcome) =>
        AddAsync(actor, "web", action, target, outcome, "", CancellationToken.None);

    /// <summary>Newest first; <paramref name="actor"/> and the time range narrow it when given.</summary>
    public async Task<IReadOnlyList<AuditRow>> ListAsync(int limit, int offset, string? actor, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<AuditRow>(
            """
            SELECT * FROM audit_log
            WHERE (@Actor IS NULL OR actor = @Actor) AND (@From IS NULL OR at_ms >= @From) AND (@To IS NULL OR at_ms < @To)
            ORDER BY id DESC LIMIT @Limit OFFSET @Offset
            """,
            new { Actor = actor, From = from?.ToUnixTimeMilliseconds(), To = to?.ToUnixTimeMilliseconds(), Limit = limit, Offset = offset }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Deletes entries older than <paramref name="before"/>; returns how many.</summary>
    public Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM audit_log WHERE at_ms < @Before", new { Before = before.ToUnixTimeMilliseconds() }, transaction),
            cancellationToken);
}
