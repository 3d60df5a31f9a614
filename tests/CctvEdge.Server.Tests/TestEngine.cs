using CctvEdge.Harness;
using CctvEdge.Server.Storage.Database;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Which engine the in-process servers of this run store their rows in: SQLite (the default), or PostgreSQL when
/// <c>CCTVEDGE_TEST_DATABASE=postgres</c>, so the whole server suite runs on either (scripts/test.sh runs it on both).
/// On PostgreSQL one throwaway cluster serves the run, stopped and deleted at its end, and each data
/// folder gets its own database: a server started again on the same folder finds its rows again, as on SQLite.
/// </summary>
internal static class TestEngine
{
    public const string Variable = "CCTVEDGE_TEST_DATABASE";

    /// <summary>The trait of a test about one engine only (SQLite's query planner): the other engine's run leaves it out.</summary>
    public const string Trait = "Engine";
    private static readonly Lazy<Task<(PostgresServer Server, string Template)>> Cluster = new(StartClusterAsync);
    private static readonly Dictionary<string, Task<string>> Databases = new(StringComparer.Ordinal);

    public static bool IsPostgres { get; } = Environment.GetEnvironmentVariable(Variable) switch
    {
        null or "" or "sqlite" => false,
        "postgres" => true,
        var other => throw new InvalidOperationException($"{Variable} must be sqlite or postgres (was '{other}')."),
    };

    /// <summary>The server arguments that put the rows of the server on <paramref name="dataDirectory"/> in this run's engine.</summary>
    public static async Task<string[]> ServerArgsAsync(string dataDirectory)
    {
        if (!IsPostgres)
        {
            return [];
        }

        Task<string> database;
        lock (Databases)
        {
            if (!Databases.TryGetValue(dataDirectory, out database!))
            {
                database = Databases[dataDirectory] = CreateDatabaseAsync();
            }
        }

        return ["--Server:Database", "postgres", "--Server:ConnectionString", await database];
    }

    private static async Task<string> CreateDatabaseAsync()
    {
        var (server, template) = await Cluster.Value;
        return await server.CreateDatabaseAsync(pooling: true, template);
    }

    /// <summary>
    /// The cluster, and a database the server's migrations have run on once: each server's database is a copy of it
    /// (a file copy inside PostgreSQL), so a server does not run every script again at each start.
    /// </summary>
    private static async Task<(PostgresServer, string)> StartClusterAsync()
    {
        var server = await PostgresServer.StartAsync();
        return (server, await CreateMigratedAsync(server));
    }

    /// <summary>
    /// A database of <paramref name="server"/> the server's migrations have run on, closed again so it can be the
    /// template of others (<see cref="PostgresServer.CreateDatabaseAsync"/>); returns its connection string.
    /// </summary>
    public static async Task<string> CreateMigratedAsync(PostgresServer server)
    {
        var template = await server.CreateDatabaseAsync(pooling: false);
        await using var migrated = new PostgresServerDatabase(template, NullLogger.Instance);
        await migrated.MigrateAsync(CancellationToken.None);
        return template;
    }

    /// <summary>Stops and deletes the cluster, if the run started one (<see cref="ServerTestFramework"/> calls it at the end of the run).</summary>
    public static async Task StopAsync()
    {
        if (Cluster.IsValueCreated)
        {
            await (await Cluster.Value).Server.DisposeAsync();
        }
    }
}
