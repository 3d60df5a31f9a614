using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>One version of a node's camera configuration.</summary>
internal sealed record NodeConfigRow
{
    public string NodeId { get; init; } = "";
    public long Version { get; init; }
    public string CamerasJson { get; init; } = "[]";
    public long CreatedMs { get; init; }
    public string Author { get; init; } = "";
    public string Comment { get; init; } = "";

    /// <summary>What a node reported it runs, rather than what a person set.</summary>
    public bool FromNode => Author == NodeConfigStore.NodeAuthor;
}

/// <summary>
/// The numbered versions of each node's camera configuration, and what the node did with them. Versions are only
/// added, never changed: the latest is the one the node should run.
/// </summary>
internal sealed class NodeConfigStore(ServerDatabase database, TimeProvider clock)
{
    /// <summary>The author of a version taken from a node's own report of its config file.</summary>
    public const string NodeAuthor = "node";

    public async Task<NodeConfigRow?> LatestAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<NodeConfigRow>(
            "SELECT * FROM node_configs WHERE node_id = @NodeId ORDER BY version DESC LIMIT 1", new { NodeId = nodeId }).ConfigureAwait(false);
    }

    public async Task<NodeConfigRow?> FindAsync(string nodeId, long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<NodeConfigRow>(
            "SELECT * FROM node_configs WHERE node_id = @NodeId AND version = @Version", new { NodeId = nodeId, Version = version }).ConfigureAwait(false);
    }

    /// <summary>Every version of the node's configuration, newest first.</summary>
    public async Task<IReadOnlyList<NodeConfigRow>> ListAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NodeConfigRow>(
            "SELECT * FROM node_configs WHERE node_id = @NodeId ORDER BY version DESC", new { NodeId = nodeId }).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// Adds the next version, unless <paramref name="basedOn"/> is given and is no longer the latest (someone else
    /// changed the configuration meanwhile): then null, and nothing is written.
    /// </summary>
    public Task<NodeConfigRow?> AddAsync(string nodeId, string camerasJson, string author, string comment, long? basedOn, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var latest = await connection.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(version), 0) FROM node_configs WHERE node_id = @NodeId", new { NodeId = nodeId }, transaction).ConfigureAwait(false);
            if (basedOn is { } expected && expected != latest)
            {
                return null;
            }

            var row = new NodeConfigRow
            {
                NodeId = nodeId,
                Version = latest + 1,
                CamerasJson = camerasJson,
                CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Author = author,
                Comment = comment,
            };
            await connection.ExecuteAsync(
                """
                INSERT INTO node_configs (node_id, version, cameras_json, created_ms, author, comment)
                VALUES (@NodeId, @Version, @CamerasJson, @CreatedMs, @Author, @Comment)
                """,
                row,
                transaction).ConfigureAwait(false);
            return row;
        }, cancellationToken);

    /// <summary>The node runs <paramref name="version"/>: a refusal of an older version no longer matters.</summary>
    public Task SetAppliedAsync(string nodeId, long version, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                UPDATE nodes SET config_applied = @Version,
                    config_refused = CASE WHEN config_refused <= @Version THEN 0 ELSE config_refused END,
                    config_error = CASE WHEN config_refused <= @Version THEN '' ELSE config_error END
                WHERE id = @NodeId
                """,
                new { NodeId = nodeId, Version = version },
                transaction),
            cancellationToken);

    /// <summary>The node refused <paramref name="version"/> and keeps running what it had.</summary>
    public Task SetRefusedAsync(string nodeId, long version, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE nodes SET config_refused = @Version, config_error = @Reason WHERE id = @NodeId",
                new { NodeId = nodeId, Version = version, Reason = reason },
                transaction),
            cancellationToken);
}
