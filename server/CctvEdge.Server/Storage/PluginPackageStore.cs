using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record PluginPackageRow
{
    public string Id { get; init; } = "";
    public string PluginId { get; init; } = "";
    public string Version { get; init; } = "";
    public string Description { get; init; } = "";
    public long Size { get; init; }
    public string UploadedBy { get; init; } = "";
    public long UploadedMs { get; init; }
}

internal sealed record PluginRolloutRow
{
    public long Id { get; init; }
    public string NodeId { get; init; } = "";
    public string PackageId { get; init; } = "";
    public string PluginId { get; init; } = "";
    public string State { get; init; } = "";
    public string Error { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; init; }
}

/// <summary>The plugin_packages and plugin_rollouts tables.</summary>
internal sealed class PluginPackageStore(ServerDatabase database, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Installed = "installed";
    public const string Failed = "failed";
    public const string Superseded = "superseded";

    /// <summary>Adds a package, or finds the one with the same bytes uploaded before.</summary>
    public Task<PluginPackageRow> AddPackageAsync(PluginPackageRow package, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO plugin_packages (id, plugin_id, version, description, size, uploaded_by, uploaded_ms)
                    VALUES (@Id, @PluginId, @Version, @Description, @Size, @UploadedBy, @UploadedMs) ON CONFLICT (id) DO NOTHING
                    """,
                    package,
                    transaction).ConfigureAwait(false);
                return await connection.QuerySingleAsync<PluginPackageRow>("SELECT * FROM plugin_packages WHERE id = @Id", new { package.Id }, transaction).ConfigureAwait(false);
            },
            cancellationToken);

    public async Task<PluginPackageRow?> FindPackageAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<PluginPackageRow>("SELECT * FROM plugin_packages WHERE id = @Id", new { Id = id }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PluginPackageRow>> ListPackagesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PluginPackageRow>("SELECT * FROM plugin_packages ORDER BY uploaded_ms DESC").ConfigureAwait(false)).ToList();
    }

    /// <summary>A new rollout of <paramref name="package"/> to a node; an unfinished earlier rollout of the same plugin there is superseded.</summary>
    public Task<PluginRolloutRow> AddRolloutAsync(string nodeId, PluginPackageRow package, string createdBy, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    "UPDATE plugin_rollouts SET state = @Superseded, updated_ms = @Now WHERE node_id = @NodeId AND plugin_id = @PluginId AND state IN (@Pending, @Sent)",
                    new { Superseded, Pending, Sent, Now = now, NodeId = nodeId, package.PluginId },
                    transaction).ConfigureAwait(false);
                return await connection.QuerySingleAsync<PluginRolloutRow>(
                    """
                    INSERT INTO plugin_rollouts (node_id, package_id, plugin_id, state, created_by, created_ms, updated_ms)
                    VALUES (@NodeId, @PackageId, @PluginId, @Pending, @CreatedBy, @Now, @Now) RETURNING *
                    """,
                    new { NodeId = nodeId, PackageId = package.Id, package.PluginId, Pending, CreatedBy = createdBy, Now = now },
                    transaction).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Rollouts newest first, of one node or of all.</summary>
    public async Task<IReadOnlyList<PluginRolloutRow>> ListRolloutsAsync(string? nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PluginRolloutRow>(
            "SELECT * FROM plugin_rollouts WHERE @NodeId IS NULL OR node_id = @NodeId ORDER BY id DESC LIMIT 1000", new { NodeId = nodeId }).ConfigureAwait(false)).ToList();
    }

    /// <summary>The node's rollouts not yet installed or failed, oldest first: what its next session must carry out.</summary>
    public async Task<IReadOnlyList<PluginRolloutRow>> UnfinishedAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PluginRolloutRow>(
            "SELECT * FROM plugin_rollouts WHERE node_id = @NodeId AND state IN (@Pending, @Sent) ORDER BY id", new { NodeId = nodeId, Pending, Sent }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Whether the package was ever rolled out to the node: only then may the node download it.</summary>
    public async Task<bool> RolledOutToAsync(string nodeId, string packageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM plugin_rollouts WHERE node_id = @NodeId AND package_id = @PackageId", new { NodeId = nodeId, PackageId = packageId }).ConfigureAwait(false) > 0;
    }

    /// <summary>Moves a rollout on; a superseded one stays superseded (its late reply changes nothing).</summary>
    public Task SetStateAsync(long id, string state, string error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE plugin_rollouts SET state = @State, error = @Error, updated_ms = @Now WHERE id = @Id AND state <> @Superseded",
                new { Id = id, State = state, Error = error, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), Superseded },
                transaction),
            cancellationToken);
}
