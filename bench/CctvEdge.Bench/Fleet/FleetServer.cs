using System.Data.Common;
using CctvEdge.Harness;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// The server a fleet run speaks to: a server process started for the run on its SQLite file or on a PostgreSQL
/// started for it (fsync on, as an installation has it), or servers already running (<c>--server URL</c>, e.g.
/// replicas behind a load balancer), whose database the run reads only when told where it is.
/// </summary>
internal sealed class FleetServer : IAsyncDisposable
{
    private readonly ServerProcess? _process;
    private readonly PostgresServer? _postgres;
    private readonly Func<DbConnection>? _database;

    private FleetServer(string engine, Uri grpcAddress, ServerProcess? process, PostgresServer? postgres, Func<DbConnection>? database)
    {
        Engine = engine;
        GrpcAddress = grpcAddress;
        _process = process;
        _postgres = postgres;
        _database = database;
    }

    /// <summary>sqlite, postgres, or what the remote database was given as.</summary>
    public string Engine { get; }

    public Uri GrpcAddress { get; }

    /// <summary>The server's process when the run started it, for its CPU and memory.</summary>
    public int? ServerProcessId => _process?.Process.Id;

    /// <summary>PostgreSQL's own process when the run started it (its CPU is the database's).</summary>
    public int? DatabaseProcessId => _postgres?.ProcessId;

    /// <summary>Starts <paramref name="serverDll"/> on <paramref name="dataDirectory"/> with its rows in <paramref name="engine"/>.</summary>
    public static async Task<FleetServer> StartAsync(string serverDll, string dataDirectory, string engine)
    {
        Directory.CreateDirectory(dataDirectory);
        if (engine == "sqlite")
        {
            var sqlite = await ServerProcess.StartAsync(serverDll, dataDirectory, 0, 0, environment: null);
            return new FleetServer(engine, sqlite.GrpcAddress, sqlite, null, ReadOnlySqlite(Path.Combine(dataDirectory, "cctvedge.db")));
        }

        var postgres = await PostgresServer.StartAsync(durable: true);
        try
        {
            var connection = await postgres.CreateDatabaseAsync(pooling: false);
            var environment = new Dictionary<string, string> { ["CCTVEDGE_Server__Database"] = "postgres", ["CCTVEDGE_Server__ConnectionString"] = connection };
            var server = await ServerProcess.StartAsync(serverDll, dataDirectory, 0, 0, environment);
            return new FleetServer(engine, server.GrpcAddress, server, postgres, () => new NpgsqlConnection(connection));
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Servers already running at <paramref name="grpcAddress"/>; <paramref name="database"/> is <c>postgres:CONNECTION</c>, <c>sqlite:PATH</c> or empty.</summary>
    public static FleetServer Remote(Uri grpcAddress, string database) => database switch
    {
        "" => new FleetServer("(not read)", grpcAddress, null, null, null),
        _ when database.StartsWith("postgres:", StringComparison.Ordinal) => new FleetServer("postgres", grpcAddress, null, null, () => new NpgsqlConnection(database["postgres:".Length..])),
        _ when database.StartsWith("sqlite:", StringComparison.Ordinal) => new FleetServer("sqlite", grpcAddress, null, null, ReadOnlySqlite(database["sqlite:".Length..])),
        _ => throw new ArgumentException($"--server-database must be postgres:CONNECTION or sqlite:PATH (was '{database}')."),
    };

    /// <summary>The measurement rows of the nodes whose ids start with <paramref name="nodePrefix"/>; null when the database is not known.</summary>
    public async Task<long?> CountMeasurementsAsync(string nodePrefix)
    {
        if (_database is null)
        {
            return null;
        }

        await using var connection = _database();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measurements WHERE node_id LIKE @Prefix", new { Prefix = nodePrefix + "%" });
    }

    /// <summary>The server's SQLite file, read beside the server without taking a writer's lock.</summary>
    private static Func<DbConnection> ReadOnlySqlite(string file) => () => new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
