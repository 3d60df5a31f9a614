using CctvEdge.Harness;
using CctvEdge.Storage;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests;

/// <summary>The SQLite that Microsoft.Data.Sqlite's bundle ships, as the stores open it.</summary>
public sealed class SqliteVersionTests
{
    [Fact]
    public async Task OpenAsync_BundledSqlite_IsCurrentAndHasJsonArrows()
    {
        using var temp = new TempDirectory("cctvedge-sqlite");
        var database = new SqliteDatabase(temp.Combine("version.db"), NullLogger.Instance);
        await using var connection = await database.OpenAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var version = await connection.ExecuteScalarAsync<string>("SELECT sqlite_version()").WaitAsync(TimeSpan.FromSeconds(30));
        // ->> (3.38) and jsonb (3.45) let queries read plugin payloads in SQL; 2.0.6's bundle had 3.35.
        Assert.True(Version.Parse(version!) >= new Version(3, 45), $"SQLite {version} is older than 3.45");
        var peak = await connection.ExecuteScalarAsync<long>("SELECT '{\"motion\":{\"peak\":42}}' ->> '$.motion.peak'").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(42, peak);
    }
}
