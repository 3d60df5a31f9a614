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
    private readonly NpgsqlDataSource _source;
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

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "PostgreSQL schema upgraded to version {Version} ({Location}).")]
    private static partial void LogMigrated(ILogger logger, int version, string location);
}
