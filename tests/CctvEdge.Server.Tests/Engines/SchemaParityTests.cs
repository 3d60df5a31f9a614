using CctvEdge.Harness;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Storage;
using Dapper;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// The PostgreSQL scripts (Schema/postgres) are kept in step with the SQLite ones number by number: the same script
/// numbers, and once migrated the same tables, columns and named indexes. A script added on one side only fails here.
/// </summary>
public sealed class SchemaParityTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("cctvedge-schema");

    [Fact]
    public void Scripts_BothEngines_SameNumbers()
    {
        var assembly = typeof(ServerDatabase).Assembly;

        var sqlite = MigrationScripts.Read(assembly, ServerDatabase.SqliteScripts).Select(s => s.Number).ToList();
        var postgresNumbers = MigrationScripts.Read(assembly, ServerDatabase.PostgresScripts).Select(s => s.Number).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite);
        Assert.Equal(sqlite, postgresNumbers);
    }

    [Fact]
    public async Task Migrate_BothEngines_SameTablesColumnsIndexesAndVersion()
    {
        var sqlite = await new SqliteTestDatabases(_temp).CreateAsync();
        var pg = await ((ITestDatabases)postgres).CreateAsync();

        Assert.Equal(await sqlite.SchemaVersionAsync(CancellationToken.None), await pg.SchemaVersionAsync(CancellationToken.None));
        Assert.Equal(await NamesAsync(sqlite, SqliteColumns), await NamesAsync(pg, PostgresColumns));
        Assert.Equal(await NamesAsync(sqlite, SqliteIndexes), await NamesAsync(pg, PostgresIndexes));
    }

    public void Dispose() => _temp.Dispose();

    private const string SqliteColumns =
        "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";

    // schema_version is PostgreSQL's user_version; a rowid column is SQLite's implicit rowid, which pragma_table_info
    // does not list (measurements, postgres/020).
    private const string PostgresColumns =
        "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_version' AND column_name <> 'rowid'";

    // Indexes made by CREATE INDEX; those behind primary keys and UNIQUE are named by each engine its own way.
    private const string SqliteIndexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";

    private const string PostgresIndexes =
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT IN (SELECT conname FROM pg_constraint)";

    private static async Task<List<string>> NamesAsync(ServerDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>(sql)).Order(StringComparer.Ordinal).ToList();
    }
}
