using System.Reflection;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Storage;

namespace CctvEdge.Server.Tests.Engines;

public sealed class DatabaseChoiceTests
{
    [Fact]
    public void Validate_SqliteOrPostgresWithAConnectionString_Accepted()
    {
        Assert.Empty(DatabaseChoice.Validate("sqlite", ""));
        Assert.Empty(DatabaseChoice.Validate("postgres", "Host=db;Database=cctvedge;Username=cctvedge;Password=secret"));
    }

    [Theory]
    [InlineData("mysql", "", "Server:Database 'mysql' is not known; use 'sqlite' or 'postgres'.")]
    [InlineData("postgres", " ", "Server:Database 'postgres' needs Server:ConnectionString")]
    [InlineData("postgres", "Host=db;Pasword=hunter2", "Server:ConnectionString is not a PostgreSQL connection string: ")]
    public void Validate_Bad_RefusedWithTheReasonNeverThePassword(string database, string connection, string expected)
    {
        var problem = Assert.Single(DatabaseChoice.Validate(database, connection));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every store runs on either engine: none but the SQLite engine itself takes the SQLite database, so a store
    /// written against it (and so working on SQLite only) cannot come back unnoticed.
    /// </summary>
    [Fact]
    public void Server_NoClassButTheSqliteEngineTakesTheSqliteDatabase()
    {
        var takers = typeof(DatabaseChoice).Assembly.GetTypes()
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(SqliteDatabase))))
            .Select(t => t.Name);

        Assert.Equal([nameof(SqliteServerDatabase)], takers);
    }
}
