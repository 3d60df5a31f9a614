using CctvEdge.Harness;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Storage;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>Where a store test gets a fresh, migrated server database of one engine.</summary>
internal interface ITestDatabases
{
    Task<ServerDatabase> CreateAsync();

    /// <summary>Another server's view of a database <see cref="CreateAsync"/> made: a replica over the same data.</summary>
    ServerDatabase OpenAgain(ServerDatabase database);
}

/// <summary>SQLite files in the test's scratch folder, one per database.</summary>
internal sealed class SqliteTestDatabases(TempDirectory temp) : ITestDatabases
{
    public async Task<ServerDatabase> CreateAsync()
    {
        var database = new SqliteServerDatabase(new SqliteDatabase(temp.Combine($"{Guid.NewGuid():N}.db"), NullLogger.Instance));
        await database.MigrateAsync(CancellationToken.None);
        return database;
    }

    public ServerDatabase OpenAgain(ServerDatabase database) =>
        new SqliteServerDatabase(new SqliteDatabase(database.Location, NullLogger.Instance));
}

/// <summary>
/// One throwaway PostgreSQL server for a test class (started once, stopped and deleted when the class is done), and a
/// new migrated database in it for each test (a copy of one the migrations ran on when the class started).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime, ITestDatabases
{
    private readonly List<PostgresServerDatabase> _opened = [];
    private readonly Dictionary<ServerDatabase, string> _connectionStrings = [];
    private PostgresServer? _server;
    private string? _migrated;

    /// <summary>Starts the server and runs the migrations once, into the database every test's is copied from.</summary>
    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _migrated = await TestEngine.CreateMigratedAsync(_server);
    }

    async Task<ServerDatabase> ITestDatabases.CreateAsync()
    {
        var connectionString = await _server!.CreateDatabaseAsync(template: _migrated);
        var database = Track(new PostgresServerDatabase(connectionString, NullLogger.Instance), connectionString);
        // Already at the newest script (a copy of the migrated database): this only checks so.
        await database.MigrateAsync(CancellationToken.None);
        return database;
    }

    ServerDatabase ITestDatabases.OpenAgain(ServerDatabase database)
    {
        string connectionString;
        lock (_opened)
        {
            connectionString = _connectionStrings[database];
        }

        return Track(new PostgresServerDatabase(connectionString, NullLogger.Instance), connectionString);
    }

    private PostgresServerDatabase Track(PostgresServerDatabase database, string connectionString)
    {
        lock (_opened)
        {
            _opened.Add(database);
            _connectionStrings[database] = connectionString;
        }

        return database;
    }

    /// <summary>A new empty database (not migrated) and its connection string, for what takes one rather than a seam.</summary>
    public Task<string> CreateEmptyAsync() => _server!.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
