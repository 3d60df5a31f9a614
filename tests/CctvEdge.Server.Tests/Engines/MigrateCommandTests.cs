using System.Data.Common;
using System.Globalization;
using CctvEdge.Server.Maintenance;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// <c>cctvedge-server migrate</c>: an installation's SQLite rows, written by the real stores, arrive in PostgreSQL
/// value for value in every table; ids go on after the copied ones; a target with rows, a value PostgreSQL would
/// change, or bad arguments stop it with the target as it was.
/// </summary>
public sealed class MigrateCommandTests(PostgresFixture postgres) : EngineStoreTests(temp => new SqliteTestDatabases(temp)), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrate_InstallationWithRows_EveryTableEqualCountsVerifiedIdsGoOn()
    {
        await PopulateAsync();
        var target = await postgres.CreateEmptyAsync();

        var (code, output, error) = await RunAsync("--from", "sqlite:" + Database.Location, "--to", "postgres:" + target);

        Assert.True(code == 0, error);
        Assert.Contains("every count verified", output, StringComparison.Ordinal);
        Assert.Contains("copying events", error, StringComparison.Ordinal);
        await using var copied = new PostgresServerDatabase(target, NullLogger.Instance);
        var tables = await TablesAsync();
        Assert.Contains("events", tables);
        foreach (var table in tables)
        {
            Assert.Equal(await RowsAsync(Database, table), await RowsAsync(copied, table));
        }

        // SQLite's hidden rowid of measurements is a column on PostgreSQL (the MQTT bridge reads in its order): kept.
        const string order = "SELECT rowid FROM measurements ORDER BY rowid";
        await using (var sqlite = await Database.OpenAsync(CancellationToken.None))
        await using (var postgresRows = await copied.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(await sqlite.QueryAsync<long>(order), await postgresRows.QueryAsync<long>(order));
        }

        Assert.Matches(@"events\s+4\s+4", output);
        var tokens = new TokenStore(copied, Clock);
        var before = (await tokens.ListAsync(null, CancellationToken.None)).Max(t => t.Id);
        Assert.True(await tokens.CreateAsync("after", "ann", "read", [9], null, CancellationToken.None) > before);
        var moreEvents = await new ResultIngestor(copied, new MediaStore(Temp.Path), Clock, [], NullLogger<ResultIngestor>.Instance).StoreAsync("barn", [Motion(10, "after")], CancellationToken.None);
        Assert.Equal(10ul, moreEvents.AcknowledgedSequence);
    }

    [Fact]
    public async Task Migrate_TargetWithRows_RefusedAndTargetUnchanged()
    {
        await PopulateAsync();
        var target = await postgres.CreateEmptyAsync();
        Assert.Equal(0, (await RunAsync("--from", "sqlite:" + Database.Location, "--to", "postgres:" + target)).Code);

        var (code, _, error) = await RunAsync("--from", "sqlite:" + Database.Location, "--to", "postgres:" + target);

        Assert.Equal(1, code);
        Assert.Contains("is not empty", error, StringComparison.Ordinal);
        await using var copied = new PostgresServerDatabase(target, NullLogger.Instance);
        Assert.Equal(await RowsAsync(Database, "events"), await RowsAsync(copied, "events"));
    }

    [Fact]
    public async Task Migrate_ValuePostgresWouldChange_NamedAndNothingCopied()
    {
        await PopulateAsync();
        // SQLite keeps text in an INTEGER column; PostgreSQL's BIGINT would refuse it. The copy names it and stops.
        await Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE events SET end_ms = 'soon' WHERE event_id = 'e2'", transaction: t), CancellationToken.None);
        var target = await postgres.CreateEmptyAsync();

        var (code, _, error) = await RunAsync("--from", "sqlite:" + Database.Location, "--to", "postgres:" + target);

        Assert.Equal(1, code);
        Assert.Contains("events.end_ms holds String 'soon'", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was copied", error, StringComparison.Ordinal);
        await using var copied = new PostgresServerDatabase(target, NullLogger.Instance);
        await using var connection = await copied.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM nodes) + (SELECT COUNT(*) FROM events)"));
    }

    [Theory]
    [InlineData("--from", "sqlite:/nowhere/cctvedge.db", "--to", "postgres:Host=127.0.0.1")]
    [InlineData("--from", "/var/lib/cctvedge/cctvedge.db", "--to", "postgres:Host=127.0.0.1")]
    [InlineData("--from", "sqlite:x.db", "--to", "mysql:Host=127.0.0.1")]
    [InlineData("--from", "sqlite:x.db")]
    public async Task Migrate_BadArguments_Exit2WithUsage(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal((2, ""), (code, output));
        Assert.Matches("usage: cctvedge-server migrate|no SQLite database at", error);
    }

    /// <summary>Rows in many tables through the stores the server uses, with NULLs, blobs, text and fractions.</summary>
    private async Task PopulateAsync()
    {
        await Ingestor.StoreAsync("barn", [Motion(1, "e1", peak: 0.125), Motion(2, "e2", end: T0.AddSeconds(9), zones: ["gate"], payload: """{"labels":["person"],"note":"é ✓"}"""), Magnitude(3, 0.5, T0)], CancellationToken.None);
        await Ingestor.StoreAsync("shed", [Motion(1, "s1", camera: "door"), Motion(2, "s2", camera: "door")], CancellationToken.None);
        await new UserStore(Database, Clock).CreateAsync("Ann", "hash-1", "admin", onlyIfNone: true, CancellationToken.None);
        await new TokenStore(Database, Clock).CreateAsync("script", "Ann", "read", [.. Enumerable.Range(0, 32).Select(i => (byte)i)], null, CancellationToken.None);
        await new TokenStore(Database, Clock).CreateAsync("other", "Ann", "read", [1, 2], Clock.GetUtcNow().AddDays(1), CancellationToken.None);
        await new AuditStore(Database, Clock).AddAsync("ann", "page", "user.create", "Ann", "ok", "127.0.0.1", CancellationToken.None);
    }

    private async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).ToList();
    }

    /// <summary>A table's rows as text, columns by name and rows sorted, so the two engines compare value for value (rowid apart).</summary>
    private static async Task<IReadOnlyList<string>> RowsAsync(ServerDatabase database, string table)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) != "rowid").OrderBy(reader.GetName, StringComparer.Ordinal).Select(i => reader.GetName(i) + "=" + Shown(reader, i))));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static string Shown(DbDataReader reader, int column) => reader.IsDBNull(column) ? "NULL" : reader.GetValue(column) switch
    {
        byte[] bytes => Convert.ToHexString(bytes),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(args, output, error, terminal: false, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
