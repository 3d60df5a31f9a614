using System.Data.Common;
using CctvEdge.Storage;

namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// The default engine: the one SQLite file the node's storage plumbing also uses (WAL, synchronous=FULL, one writer),
/// unchanged, so the SQLite server behaves and performs as it did before there was a seam.
/// </summary>
internal sealed class SqliteServerDatabase(SqliteDatabase database) : ServerDatabase
{
    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Location => database.Path;

    /// <summary>The SQLite database itself, for what only SQLite has (the file, its PRAGMAs).</summary>
    public SqliteDatabase Sqlite => database;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    // SqliteDatabase hands out SqliteTransaction, which is a DbTransaction.
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => work(connection, (DbTransaction)transaction), cancellationToken);

    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        database.MigrateAsync(typeof(ServerDatabase).Assembly, SqliteScripts, cancellationToken);

    // One server per SQLite file: it always leads.
    public override Task<LeaderLock?> TryLeadAsync(CancellationToken cancellationToken) => Task.FromResult<LeaderLock?>(LeaderLock.Sole);

    public override async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
