using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record EnrolmentCodeRow
{
    public long Id { get; init; }
    public byte[] CodeHash { get; init; } = [];
    public string? NodeId { get; init; }
    public string Comment { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public long CreatedMs { get; init; }
    public long ExpiresMs { get; init; }
    public long? UsedMs { get; init; }
    public string? UsedBy { get; init; }
    public long? RevokedMs { get; init; }

    /// <summary>active, used, revoked or expired at <paramref name="nowMs"/>.</summary>
    public string State(long nowMs) =>
        RevokedMs is not null ? "revoked" : UsedMs is not null ? "used" : ExpiresMs <= nowMs ? "expired" : "active";
}

internal sealed record NodeCredentialRow
{
    public string NodeId { get; init; } = "";
    public byte[] SecretHash { get; init; } = [];
    public long CodeId { get; init; }
    public long IssuedMs { get; init; }
    public long? RevokedMs { get; init; }
}

/// <summary>Why a code did not enrol a node; <see cref="Enrolled"/> when it did.</summary>
internal enum EnrolmentOutcome
{
    Enrolled,
    UnknownCode,
    CodeUsed,
    CodeRevoked,
    CodeExpired,
    CodeForAnotherNode,
    NodeAlreadyEnrolled,
}

/// <summary>The enrolment_codes and node_credentials tables: one-time codes and the credentials they were traded for.</summary>
internal sealed class EnrolmentStore(ServerDatabase database, TimeProvider clock)
{
    public Task<long> CreateCodeAsync(byte[] codeHash, string? nodeId, string comment, string createdBy, DateTimeOffset expires, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO enrolment_codes (code_hash, node_id, comment, created_by, created_ms, expires_ms)
                VALUES (@CodeHash, @NodeId, @Comment, @CreatedBy, @Now, @Expires) RETURNING id
                """,
                new { CodeHash = codeHash, NodeId = nodeId, Comment = comment, CreatedBy = createdBy, Now = NowMs, Expires = expires.ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>Every code, newest first (never the codes themselves: only their hashes are kept).</summary>
    public async Task<IReadOnlyList<EnrolmentCodeRow>> ListCodesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<EnrolmentCodeRow>("SELECT * FROM enrolment_codes ORDER BY id DESC").ConfigureAwait(false)).ToList();
    }

    /// <summary>Revokes a code not yet used; false when there is no such code, or it was used or revoked already.</summary>
    public async Task<bool> RevokeCodeAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE enrolment_codes SET revoked_ms = @Now WHERE id = @Id AND revoked_ms IS NULL AND used_ms IS NULL",
                new { Id = id, Now = NowMs },
                transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>
    /// Trades a code for a credential in one transaction: the code is marked used and the node's credential set, or
    /// nothing changes. A node that holds a credential already is enrolled again only with a code issued for its id,
    /// so a code for "any node" cannot take over an enrolled node's identity.
    /// </summary>
    public Task<EnrolmentOutcome> RedeemAsync(byte[] codeHash, string nodeId, byte[] credentialHash, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = NowMs;
                var code = await connection.QuerySingleOrDefaultAsync<EnrolmentCodeRow>(
                    "SELECT * FROM enrolment_codes WHERE code_hash = @CodeHash", new { CodeHash = codeHash }, transaction).ConfigureAwait(false);
                var existing = await connection.QuerySingleOrDefaultAsync<NodeCredentialRow>(
                    "SELECT * FROM node_credentials WHERE node_id = @NodeId", new { NodeId = nodeId }, transaction).ConfigureAwait(false);
                var outcome = code switch
                {
                    null => EnrolmentOutcome.UnknownCode,
                    { RevokedMs: not null } => EnrolmentOutcome.CodeRevoked,
                    { UsedMs: not null } => EnrolmentOutcome.CodeUsed,
                    _ when code.ExpiresMs <= now => EnrolmentOutcome.CodeExpired,
                    { NodeId: { } only } when only != nodeId => EnrolmentOutcome.CodeForAnotherNode,
                    { NodeId: null } when existing is { RevokedMs: null } => EnrolmentOutcome.NodeAlreadyEnrolled,
                    _ => EnrolmentOutcome.Enrolled,
                };
                if (outcome != EnrolmentOutcome.Enrolled)
                {
                    return outcome;
                }

                await connection.ExecuteAsync(
                    "UPDATE enrolment_codes SET used_ms = @Now, used_by = @NodeId WHERE id = @Id", new { Now = now, NodeId = nodeId, code!.Id }, transaction).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    """
                    INSERT INTO node_credentials (node_id, secret_hash, code_id, issued_ms) VALUES (@NodeId, @Hash, @CodeId, @Now)
                    ON CONFLICT (node_id) DO UPDATE SET secret_hash = excluded.secret_hash, code_id = excluded.code_id, issued_ms = excluded.issued_ms, revoked_ms = NULL
                    """,
                    new { NodeId = nodeId, Hash = credentialHash, CodeId = code.Id, Now = now },
                    transaction).ConfigureAwait(false);
                return outcome;
            },
            cancellationToken);

    public async Task<NodeCredentialRow?> FindCredentialAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<NodeCredentialRow>(
            "SELECT * FROM node_credentials WHERE node_id = @NodeId", new { NodeId = nodeId }).ConfigureAwait(false);
    }

    /// <summary>Revokes a node's credential: it is refused until it enrols again; false when it holds none.</summary>
    public async Task<bool> RevokeCredentialAsync(string nodeId, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE node_credentials SET revoked_ms = @Now WHERE node_id = @NodeId AND revoked_ms IS NULL",
                new { NodeId = nodeId, Now = NowMs },
                transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    private long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
