using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Tests.Engines;

public sealed class DatabaseChoiceTests
{
    // Stores ported to the seam (the rest of the list shrinks as others are).
    private static readonly string[] Ported =
    [
        "ResultIngestor", "NodeStore", "RuleStore", "ChannelStore", "NotificationStore", "DeliveryStore", "OfflineEventStore", "SensorEventStore",
        "DayOverDayStore", "DailyReportQuery", "DailyReportService", "MqttCheckpoints", "MqttFleet",
    ];

    [Fact]
    public void Validate_Sqlite_Accepted() => Assert.Empty(DatabaseChoice.Validate("sqlite", ""));

    [Fact]
    public void Validate_Postgres_RefusedNamingTheUnportedStoresOnly()
    {
        var problems = DatabaseChoice.Validate("postgres", "Host=db;Database=cctvedge").ToList();

        // Refused while any store still takes the SQLite database, naming each; accepted once none does.
        if (DatabaseChoice.UnportedStores.Count == 0)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal($"Server:Database 'postgres' is not available yet: stores {string.Join(", ", DatabaseChoice.UnportedStores)} are not ported. Use 'sqlite'.", Assert.Single(problems));
        }

        // The ported ones take the seam, so they are not named.
        Assert.Empty(DatabaseChoice.UnportedStores.Intersect(Ported, StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_Unknown_RefusedWithTheChoices() =>
        Assert.Equal("Server:Database 'mysql' is not known; use 'sqlite' or 'postgres'.", Assert.Single(DatabaseChoice.Validate("mysql", "")));
}
