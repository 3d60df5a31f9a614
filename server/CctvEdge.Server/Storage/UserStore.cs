using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record UserRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Role { get; init; } = "";
    public string SecurityStamp { get; init; } = "";
    public long CreatedMs { get; init; }
}

/// <summary>The users table. Names compare without case; there is always an admin once the first run is done.</summary>
internal sealed class UserStore(ServerDatabase database, TimeProvider clock)
{
    // Users are never removed down to none (the last admin cannot be deleted), so once true this stays true.
    private volatile bool _any;

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        if (!_any)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            _any = await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users)").ConfigureAwait(false);
        }

        return _any;
    }

    public async Task<UserRow?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryFirstOrDefaultAsync<UserRow>("SELECT * FROM users WHERE name = @Name", new { Name = name }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<UserRow>("SELECT * FROM users ORDER BY name").ConfigureAwait(false)).ToList();
    }

    /// <summary>Inserts a user; with <paramref name="onlyIfNone"/>, only when the table is empty (the first-run admin, race-free).</summary>
    public async Task<UserRow?> CreateAsync(string name, string passwordHash, string role, bool onlyIfNone, CancellationToken cancellationToken)
    {
        var row = await database.WriteAsync(async (connection, transaction) =>
        {
            if (onlyIfNone && await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users)", transaction: transaction).ConfigureAwait(false))
            {
                return null;
            }

            if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE name = @Name)", new { Name = name }, transaction).ConfigureAwait(false))
            {
                return null;
            }

            var user = new UserRow { Name = name, PasswordHash = passwordHash, Role = role, SecurityStamp = NewStamp(), CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds() };
            await connection.ExecuteAsync(
                "INSERT INTO users (name, password_hash, role, security_stamp, created_ms) VALUES (@Name, @PasswordHash, @Role, @SecurityStamp, @CreatedMs)",
                user,
                transaction).ConfigureAwait(false);
            return user;
        }, cancellationToken).ConfigureAwait(false);
        _any |= row is not null;
        return row;
    }

    /// <summary>Changes a password hash or role (null keeps it) and the stamp, which signs the user out elsewhere.</summary>
    public Task<bool> UpdateAsync(string name, string? passwordHash, string? role, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                """
                UPDATE users SET password_hash = COALESCE(@PasswordHash, password_hash), role = COALESCE(@Role, role), security_stamp = @Stamp
                WHERE name = @Name
                """,
                new { Name = name, PasswordHash = passwordHash, Role = role, Stamp = NewStamp() },
                transaction).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <summary>Deletes a user unless that would leave no admin; false when refused or unknown.</summary>
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                """
                DELETE FROM users WHERE name = @Name
                  AND (role <> 'admin' OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)
                """,
                new { Name = name },
                transaction).ConfigureAwait(false) == 1,
            cancellationToken);

    public async Task<long> CountAdminsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'admin'").ConfigureAwait(false);
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
