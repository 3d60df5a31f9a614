using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record TokenRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Scopes { get; init; } = "";
    public byte[] SecretHash { get; init; } = [];
    public long CreatedMs { get; init; }
    public long? ExpiresMs { get; init; }
    public long? RevokedMs { get; init; }
    public long? LastUsedMs { get; init; }
}

/// <summary>The api_tokens table: rows hold a hash of the secret, never the secret.</summary>
internal sealed class TokenStore(ServerDatabase database, TimeProvider clock)
{
    public Task<long> CreateAsync(string name, string owner, string scopes, byte[] secretHash, DateTimeOffset? expires, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO api_tokens (name, owner, scopes, secret_hash, created_ms, expires_ms)
                VALUES (@Name, @Owner, @Scopes, @Hash, @Now, @Expires) RETURNING id
                """,
                new { Name = name, Owner = owner, Scopes = scopes, Hash = secretHash, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), Expires = expires?.ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    public async Task<TokenRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<TokenRow>("SELECT * FROM api_tokens WHERE id = @Id", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>The tokens of <paramref name="owner"/>, or everyone's for null; newest first.</summary>
    public async Task<IReadOnlyList<TokenRow>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<TokenRow>(
            "SELECT * FROM api_tokens WHERE @Owner IS NULL OR owner = @Owner ORDER BY id DESC", new { Owner = owner }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Revokes a token; false when there is no such token or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE api_tokens SET revoked_ms = @Now WHERE id = @Id AND revoked_ms IS NULL",
                new { Id = id, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Records a use, at most once a minute per token, so a busy script does not write on every call.</summary>
    public Task TouchAsync(TokenRow token, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return token.LastUsedMs is { } last && now - last < 60_000
            ? Task.CompletedTask
            : database.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync("UPDATE api_tokens SET last_used_ms = @Now WHERE id = @Id", new { token.Id, Now = now }, transaction),
                cancellationToken);
    }
}
