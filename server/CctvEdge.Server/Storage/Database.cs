using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Storage;

/// <summary>
/// The embedded SQLite database: one file under the data directory, WAL so readers never wait for the writer, and
/// synchronous=FULL so a committed batch survives power loss (the node deletes what we acknowledge, so an ack must
/// mean durably stored). Writes go through one gate: SQLite has one writer anyway, and queueing here beats
/// busy-waiting in the driver.
/// </summary>
internal sealed partial class Database
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger<Database> _logger;

    static Database()
    {
        SQLitePCL.Batteries_V2.Init();
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(string path, ILogger<Database> logger)
    {
        _logger = logger;
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;").ConfigureAwait(false);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Creates or upgrades the schema with the embedded scripts, in order, each in its own transaction.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        var version = await connection.ExecuteScalarAsync<long>("PRAGMA user_version;").ConfigureAwait(false);
        foreach (var (number, script) in SchemaScripts())
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

    private static IEnumerable<(int Number, string Script)> SchemaScripts()
    {
        var assembly = typeof(Database).Assembly;
        const string prefix = "CctvEdge.Server.Storage.Schema.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var number = int.Parse(name.AsSpan(prefix.Length, 3), System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (number, reader.ReadToEnd());
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Database schema upgraded to version {Version} ({Path}).")]
    private static partial void LogMigrated(ILogger logger, int version, string path);
}
