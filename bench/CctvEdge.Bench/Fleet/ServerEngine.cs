using CctvEdge.Harness;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CctvEdge.Bench.Fleet;

/// <summary>The database a fleet run's server stores in: its SQLite file, or a PostgreSQL started for the run.</summary>
internal sealed class ServerEngine
{
    public static readonly ServerEngine Sqlite = new("sqlite");
    public static readonly ServerEngine Postgres = new("postgres");

    private ServerEngine(string name) => Name = name;

    public string Name { get; }

    /// <summary>The database for a server on <paramref name="dataDirectory"/>, until disposed.</summary>
    public async Task<RunDatabase> StartAsync(string dataDirectory)
    {
        if (this == Sqlite)
        {
            return new RunDatabase(null, null, $"Data Source={Path.Combine(dataDirectory, "cctvedge.db")};Mode=ReadOnly;Pooling=False");
        }

        // fsync on, as an installation has it: SQLite beside it runs with synchronous=FULL.
        var server = await PostgresServer.StartAsync(durable: true);
        return new RunDatabase(server, await server.CreateDatabaseAsync(pooling: true), null);
    }

    /// <summary>A run's database: what the server needs to find it, and the measurement rows it holds.</summary>
    internal sealed class RunDatabase(PostgresServer? postgres, string? postgresConnection, string? sqliteConnection) : IAsyncDisposable
    {
        public IDictionary<string, string>? ServerEnvironment { get; } = postgresConnection is null
            ? null
            : new Dictionary<string, string> { ["CCTVEDGE_Server__Database"] = "postgres", ["CCTVEDGE_Server__ConnectionString"] = postgresConnection };

        /// <summary>PostgreSQL's own process (its CPU is the database's), or null when the database is in the server.</summary>
        public int? ProcessId => postgres?.ProcessId;

        public async Task<long> CountMeasurementsAsync()
        {
            await using System.Data.Common.DbConnection connection = postgresConnection is null ? new SqliteConnection(sqliteConnection) : new NpgsqlConnection(postgresConnection);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM measurements";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }
}
