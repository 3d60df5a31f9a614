using System.Data;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Storage;

/// <summary>
/// One SQLite database file. WAL, so readers never wait for the writer; synchronous=FULL, so a committed transaction
/// survives power loss (callers acknowledge work to others only after commit). Writes go through one gate: SQLite
/// has one writer anyway, and queueing here beats busy-waiting in the driver.
/// </summary>
public sealed partial class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly WriteGate _writeGate = new();
    private readonly ILogger _logger;

    static SqliteDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>Opens (or will create) the database at <paramref name="path"/>.</summary>
    public SqliteDatabase(string path, ILogger logger)
    {
        _logger = logger;
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>An open connection with the pragmas every connection needs.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;").ConfigureAwait(false);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction, one writer at a time; committed when it returns.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _writeGate.RunAsync(OpenAsync, work, cancellationToken);

    /// <summary>
    /// Creates or upgrades the schema: every embedded resource of <paramref name="scripts"/> named
    /// <c>{prefix}NNN_*.sql</c> whose number is above the database's user_version, in order, each in a transaction.
    /// </summary>
    public async Task MigrateAsync(Assembly scripts, string prefix, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        var version = await connection.ExecuteScalarAsync<long>("PRAGMA user_version;").ConfigureAwait(false);
        foreach (var (number, script) in MigrationScripts.Read(scripts, prefix))
        {
            if (number <= version)
            {
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(script, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync($"PRAGMA user_version = {number};", transaction: transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogMigrated(_logger, number, Path);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Database schema upgraded to version {Version} ({Path}).")]
    private static partial void LogMigrated(ILogger logger, int version, string path);
}
