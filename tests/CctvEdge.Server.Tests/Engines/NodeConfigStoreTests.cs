using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>The fleet hub's numbered configuration versions, and what nodes did with them, on each engine.</summary>
public abstract class NodeConfigStoreTests : EngineStoreTests
{
    private protected NodeConfigStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Add_BasedOnAnOlderVersion_RefusedOtherwiseNextVersion()
    {
        var configs = new NodeConfigStore(Database, Clock);

        var first = await configs.AddAsync("barn", "[]", NodeConfigStore.NodeAuthor, "", null, CancellationToken.None);
        var second = await configs.AddAsync("barn", """[{"id":"yard"}]""", "ann", "add yard", basedOn: 1, CancellationToken.None);
        var stale = await configs.AddAsync("barn", "[]", "bob", "", basedOn: 1, CancellationToken.None);
        var other = await configs.AddAsync("shed", "[]", "bob", "", null, CancellationToken.None);

        Assert.Equal((1L, 2L, null, 1L), (first!.Version, second!.Version, stale, other!.Version));
        Assert.Equal(("ann", "add yard"), ((await configs.LatestAsync("barn", CancellationToken.None))!.Author, (await configs.FindAsync("barn", 2, CancellationToken.None))!.Comment));
        Assert.Equal([2L, 1L], (await configs.ListAsync("barn", CancellationToken.None)).Select(c => c.Version));
        Assert.True((await configs.FindAsync("barn", 1, CancellationToken.None))!.FromNode);
    }

    [Fact]
    public async Task Applied_AfterARefusalOfAnOlderVersion_ClearsTheRefusal()
    {
        var configs = new NodeConfigStore(Database, Clock);

        await configs.SetRefusedAsync("barn", 3, "bad camera", CancellationToken.None);
        var refused = await Nodes.FindNodeAsync("barn", CancellationToken.None);
        await configs.SetAppliedAsync("barn", 4, CancellationToken.None);
        var applied = await Nodes.FindNodeAsync("barn", CancellationToken.None);

        Assert.Equal((0L, 3L, "bad camera"), (refused!.ConfigApplied, refused.ConfigRefused, refused.ConfigError));
        Assert.Equal((4L, 0L, ""), (applied!.ConfigApplied, applied.ConfigRefused, applied.ConfigError));
    }
}

public sealed class SqliteNodeConfigStoreTests() : NodeConfigStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresNodeConfigStoreTests(PostgresFixture postgres) : NodeConfigStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
