using System.Xml.Linq;
using CctvEdge.Harness;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage.Database;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// What several servers over one database share: the Data Protection key ring (so a cookie or a channel secret
/// protected by one replica is read by another) and one leader for the periodic jobs.
/// </summary>
public abstract class ReplicaTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ITestDatabases _databases;

    private protected ReplicaTests(Func<TempDirectory, ITestDatabases> databases) => _databases = databases(Temp);

    protected TempDirectory Temp { get; } = new("cctvedge-replicas");

    private protected ServerDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await _databases.CreateAsync();

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task XmlRepository_StoreElement_ReturnedInOrderWithTheirXml()
    {
        var repository = Repository(Database);

        await repository.StoreElementAsync(Key("one"), "key-one", CancellationToken.None).WaitAsync(Timeout);
        await repository.StoreElementAsync(Key("two"), "key-two", CancellationToken.None).WaitAsync(Timeout);

        var elements = repository.GetAllElements();
        Assert.Equal(["one", "two"], elements.Select(e => (string)e.Attribute("id")!));
        Assert.True(XNode.DeepEquals(Key("two"), elements.Last()));
    }

    [Fact]
    public async Task XmlRepository_TwoServersOneDatabase_SeeEachOthersKeys()
    {
        var first = Repository(Database);
        var second = Repository(_databases.OpenAgain(Database));

        await first.StoreElementAsync(Key("from-first"), "key-from-first", CancellationToken.None).WaitAsync(Timeout);
        second.StoreElement(Key("from-second"), "key-from-second");

        Assert.Equal(["from-first", "from-second"], first.GetAllElements().Select(e => (string)e.Attribute("id")!));
        Assert.Equal(["from-first", "from-second"], second.GetAllElements().Select(e => (string)e.Attribute("id")!));
    }

    [Fact]
    public async Task XmlRepository_LegacyKeysFolder_ImportedOnceByName()
    {
        var folder = Temp.Combine("keys");
        Directory.CreateDirectory(folder);
        Key("old").Save(Path.Combine(folder, "key-old.xml"));

        Assert.Equal(["old"], Repository(Database, folder).GetAllElements().Select(e => (string)e.Attribute("id")!));
        // A restart, or a second replica given a copy of the same folder: nothing twice.
        Assert.Single(Repository(_databases.OpenAgain(Database), folder).GetAllElements());
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        Assert.Equal("key-old", await connection.ExecuteScalarAsync<string>("SELECT friendly_name FROM data_protection_keys"));
    }

    [Fact]
    public void DataProtection_TwoContainersOneDatabase_EachUnprotectsTheOthers()
    {
        using var first = DataProtection(Database);
        using var second = DataProtection(_databases.OpenAgain(Database));
        var a = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var b = second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        var fromFirst = a.Protect("signed in on the first replica");

        Assert.Equal("signed in on the first replica", b.Unprotect(fromFirst));
        Assert.Equal("and back", a.Unprotect(b.Protect("and back")));
    }

    [Fact]
    public async Task LeadershipService_OnItsOwn_Leads()
    {
        var leadership = new Leadership(NullLogger<Leadership>.Instance);
        using var service = LeadershipService(Database, leadership);

        await service.StartAsync(CancellationToken.None);
        await leadership.WaitForLeadershipAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.True(leadership.IsLeader);

        await service.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.False(leadership.IsLeader);
    }

    private protected static LeadershipService LeadershipService(ServerDatabase database, Leadership leadership, int retryMilliseconds = 200) =>
        new(database, leadership, TimeProvider.System, NullLogger<LeadershipService>.Instance)
        {
            CheckInterval = TimeSpan.FromMilliseconds(100),
            RetryInterval = TimeSpan.FromMilliseconds(retryMilliseconds),
        };

    private protected ITestDatabases Databases => _databases;

    private DatabaseXmlRepository Repository(ServerDatabase database, string? folder = null) =>
        new(database, folder ?? Temp.Combine("no-keys-folder"), NullLogger<DatabaseXmlRepository>.Instance);

    private ServiceProvider DataProtection(ServerDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(database);
        services.AddDataProtection().SetApplicationName("CctvEdge").PersistKeysToServerDatabase(Temp.Combine("no-keys-folder"));
        return services.BuildServiceProvider();
    }

    private static XElement Key(string id) => new("key", new XAttribute("id", id), new XElement("descriptor", "opaque " + id));
}

public sealed class SqliteReplicaTests() : ReplicaTests(temp => new SqliteTestDatabases(temp))
{
    [Fact]
    public async Task TryLead_TwoServersOneFile_BothLead()
    {
        // One server per SQLite file: there is nobody to take turns with.
        await using var first = await Database.TryLeadAsync(CancellationToken.None);
        await using var second = await Databases.OpenAgain(Database).TryLeadAsync(CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(await first.HeldAsync(CancellationToken.None));
    }
}

public sealed class PostgresReplicaTests(PostgresFixture postgres) : ReplicaTests(_ => postgres), IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TryLead_TwoServersOneDatabase_OneLeadsUntilItLetsGo()
    {
        var other = Databases.OpenAgain(Database);
        var first = await Database.TryLeadAsync(CancellationToken.None);
        Assert.NotNull(first);

        Assert.Null(await other.TryLeadAsync(CancellationToken.None));
        Assert.True(await first.HeldAsync(CancellationToken.None));

        await first.DisposeAsync();
        await using var second = await other.TryLeadAsync(CancellationToken.None);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task LeadershipService_LeadersConnectionKilled_OtherLeadsWithinSeconds()
    {
        var leader = new Leadership(NullLogger<Leadership>.Instance);
        var follower = new Leadership(NullLogger<Leadership>.Instance);
        // The first to lead tries again only after a while, so the one waiting is the one that takes over.
        using var first = LeadershipService(Database, leader, retryMilliseconds: 10_000);
        using var second = LeadershipService(Databases.OpenAgain(Database), follower);
        await first.StartAsync(CancellationToken.None);
        await leader.WaitForLeadershipAsync(CancellationToken.None).WaitAsync(Timeout);
        await second.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1)); // several tries of the follower
        Assert.True(leader.IsLeader);
        Assert.False(follower.IsLeader);
        var lost = new TaskCompletionSource();
        leader.Changed += leading =>
        {
            if (!leading)
            {
                lost.TrySetResult();
            }
        };

        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        }

        await lost.Task.WaitAsync(Timeout);
        await follower.WaitForLeadershipAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.False(leader.IsLeader);

        await first.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        await second.StopAsync(CancellationToken.None).WaitAsync(Timeout);
    }
}
