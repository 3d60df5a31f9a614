using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Tests.Engines;

public sealed class DatabaseChoiceTests
{
    [Fact]
    public void Validate_Sqlite_Accepted() => Assert.Empty(DatabaseChoice.Validate("sqlite", ""));

    [Fact]
    public void Validate_PostgresWhileStoresUnported_RefusedNamingThem()
    {
        var problem = Assert.Single(DatabaseChoice.Validate("postgres", "Host=db;Database=cctvedge"));

        Assert.StartsWith("Server:Database 'postgres' is not available yet: stores ", problem, StringComparison.Ordinal);
        Assert.Contains("RuleStore", problem, StringComparison.Ordinal);
        // The ported ones take the seam, so they are not named.
        Assert.DoesNotContain("ResultIngestor", DatabaseChoice.UnportedStores);
        Assert.DoesNotContain("NodeStore", DatabaseChoice.UnportedStores);
    }

    [Fact]
    public void Validate_Unknown_RefusedWithTheChoices() =>
        Assert.Equal("Server:Database 'mysql' is not known; use 'sqlite' or 'postgres'.", Assert.Single(DatabaseChoice.Validate("mysql", "")));
}
