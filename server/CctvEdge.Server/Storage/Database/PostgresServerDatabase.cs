using System.Data.Common;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// PostgreSQL (<c>Server:Database=postgres</c>). Writes still pass one gate per server: the stores were written for
/// SQLite's single writer and some read-then-write inside their transaction, so keeping that order keeps their
/// meaning; PostgreSQL's own locks order writers of several servers. The schema version lives in a
/// <c>schema_version</c> table (PostgreSQL has no user_version).
/// </summary>
internal sealed partial class PostgresServerDatabase : ServerDatabase, IAsyncDisposable
{
    // Any 64-bit number no other program takes on this database: two servers starting at once migrate one at a time.
    private const long MigrationLockKey = 0x4343_5456_4544_4745; // "CCTVEDGE"
    // The leader's lock, held at session level for as long as its connection lives.
    private const long LeaderLockKey = 0x4343_5456_4C45_4144; // "CCTVLEAD"
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _leaderSource;
    private readonly WriteGate _writeGate = new();
    private readonly ILogger _logger;

    public PostgresServerDatabase(string connectionString, ILogger logger)
    {
        _logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The ingest path runs the same few statements for every result: let Npgsql prepare them on the server
        // (SQLite's PreparedStatements keeps its commands for the same reason).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }

        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);

        // The leader's connection is its own, never pooled: closing it ends the session and so frees the lock, and a
        // pooled connection returned with the lock held would lead on in nobody's hands. Keepalives and a short
        // command timeout notice a dead link within seconds rather than minutes.
        _leaderSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            TcpKeepAlive = true,
            CommandTimeout = 5,
            MaxAutoPrepare = 0,
        });
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override string Location { get; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _writeGate.RunAsync(OpenAsync, work, cancellationToken);

    /// <summary>Applies each script above the recorded version in its own transaction, with the version it reaches.</summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)").ConfigureAwait(false);
        foreach (var (number, script) in MigrationScripts.Read(typeof(ServerDatabase).Assembly, PostgresScripts))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction).ConfigureAwait(false);
            var version = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", transaction: transaction).ConfigureAwait(false) ?? 0;
            if (number <= version)
            {
                continue;
            }

            await connection.ExecuteAsync(script, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@Number)", new { Number = number }, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogMigrated(_logger, number, Location);
        }
    }

    public override async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version").ConfigureAwait(false) ?? 0;
    }

    /// <summary>
    /// <c>pg_try_advisory_lock</c> at session level on a connection of its own, which stays open while this server
    /// leads: another server's try fails until that connection closes or breaks (PostgreSQL frees the lock when the
    /// session ends).
    /// </summary>
    public override async Task<LeaderLock?> TryLeadAsync(CancellationToken cancellationToken)
    {
        var connection = await _leaderSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@Key)", new { Key = LeaderLockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                return new PostgresLeaderLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        await _leaderSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Held while its connection answers; disposing closes the connection, which frees the lock.</summary>
    private sealed class PostgresLeaderLock(NpgsqlConnection connection) : LeaderLock
    {
        public override async Task<bool> HeldAsync(CancellationToken cancellationToken)
        {
            try
            {
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Terminated, timed out or broken (InvalidOperationException: already closed): the session, and the
                // lock with it, is gone or no longer ours to count on.
                return false;
            }
        }

        public override ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "PostgreSQL schema upgraded to version {Version} ({Location}).")]
    private static partial void LogMigrated(ILogger logger, int version, string location);
}
