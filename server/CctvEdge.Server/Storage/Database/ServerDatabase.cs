using System.Data.Common;
using Dapper;

namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// The server's database, whichever engine holds it (<c>Server:Database</c>): connections as <see cref="DbConnection"/>
/// (Dapper runs the same on both), the few SQL spellings that differ in <see cref="Dialect"/>, and one write gate.
/// Stores write SQL both engines accept wherever there is such SQL, so a query has one copy.
/// </summary>
internal abstract class ServerDatabase
{
    /// <summary>Where migrations start looking: SQLite's scripts, then PostgreSQL's twins under their own name.</summary>
    public const string SqliteScripts = "CctvEdge.Server.Storage.Schema.";
    public const string PostgresScripts = "CctvEdge.Server.Storage.PostgresSchema.";

    // Rows map snake_case columns onto PascalCase properties. SqliteDatabase sets this too, but a server on
    // PostgreSQL never touches it.
    static ServerDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public abstract SqlDialect Dialect { get; }

    /// <summary>Where the data is, for logs and the health check (a file path, or a host and database name).</summary>
    public abstract string Location { get; }

    /// <summary>An open connection, set up as every connection of this engine must be.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write transaction, one writer at a time; committed when it returns.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Creates or upgrades the schema to the newest script.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The schema version the database is at (the last script applied).</summary>
    public abstract Task<int> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the leader's lock if no other server over this database holds it: the held lock, or null when another
    /// server leads. Only one server leads at a time, the others try again (Hosting/Leadership).
    /// </summary>
    public abstract Task<LeaderLock?> TryLeadAsync(CancellationToken cancellationToken);
}
