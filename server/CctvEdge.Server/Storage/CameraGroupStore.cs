using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record CameraGroupRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";

    /// <summary>The members in tile order, <c>node.camera</c> keys separated by spaces.</summary>
    public string Cameras { get; init; } = "";
    public string UpdatedBy { get; init; } = "";
    public long UpdatedMs { get; init; }
}

/// <summary>The camera_groups table: saved groups for the live grid and the wall.</summary>
internal sealed class CameraGroupStore(ServerDatabase database, TimeProvider clock)
{
    /// <summary>Every group, by name.</summary>
    public async Task<IReadOnlyList<CameraGroupRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CameraGroupRow>("SELECT * FROM camera_groups ORDER BY name").ConfigureAwait(false)).ToList();
    }

    /// <summary>Creates a group (<paramref name="id"/> null) or replaces one's name and members; returns the id with the outcome.</summary>
    public Task<(SaveOutcome Outcome, long Id)> SaveAsync(long? id, string name, IEnumerable<string> cameras, string by, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.NameTakenByAsync("camera_groups", name, id, transaction).ConfigureAwait(false) is { } taken)
                {
                    return (SaveOutcome.NameTaken, taken);
                }

                var values = new { Id = id, Name = name, Cameras = string.Join(' ', cameras), By = by, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                if (id is null)
                {
                    var created = await connection.ExecuteScalarAsync<long>(
                        "INSERT INTO camera_groups (name, cameras, updated_by, updated_ms) VALUES (@Name, @Cameras, @By, @Now) RETURNING id", values, transaction).ConfigureAwait(false);
                    return (SaveOutcome.Saved, created);
                }

                var updated = await connection.ExecuteAsync(
                    "UPDATE camera_groups SET name = @Name, cameras = @Cameras, updated_by = @By, updated_ms = @Now WHERE id = @Id", values, transaction).ConfigureAwait(false);
                return (updated > 0 ? SaveOutcome.Saved : SaveOutcome.NotFound, id.Value);
            },
            cancellationToken);

    /// <summary>False when there is no such group.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM camera_groups WHERE id = @Id", new { Id = id }, transaction),
            cancellationToken).ConfigureAwait(false) > 0;
}
