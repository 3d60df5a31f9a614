using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>Plugin packages and their rollouts to nodes (PluginPackageStore), and video retrievals with their clips (RetrievalStore).</summary>
public abstract class PluginPackageAndRetrievalStoreTests : EngineStoreTests
{
    private protected PluginPackageAndRetrievalStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Packages_SameBytesTwice_OnePackageAndNewestFirst()
    {
        var packages = new PluginPackageStore(Database, Clock);

        var first = await packages.AddPackageAsync(Package("aa", "1.0", uploadedMs: 1), CancellationToken.None);
        var again = await packages.AddPackageAsync(Package("aa", "9.9", uploadedMs: 5), CancellationToken.None);
        await packages.AddPackageAsync(Package("bb", "2.0", uploadedMs: 2), CancellationToken.None);

        Assert.Equal(Package("aa", "1.0", uploadedMs: 1), first);
        Assert.Equal(first, again);
        Assert.Equal(["bb", "aa"], (await packages.ListPackagesAsync(CancellationToken.None)).Select(p => p.Id));
        Assert.Equal("2.0", (await packages.FindPackageAsync("bb", CancellationToken.None))!.Version);
        Assert.Null(await packages.FindPackageAsync("cc", CancellationToken.None));
    }

    [Fact]
    public async Task Rollouts_NewerOfTheSamePlugin_SupersedesTheUnfinishedOneForGood()
    {
        var packages = new PluginPackageStore(Database, Clock);
        var (one, two) = (await packages.AddPackageAsync(Package("aa", "1.0"), CancellationToken.None), await packages.AddPackageAsync(Package("bb", "2.0"), CancellationToken.None));

        var first = await packages.AddRolloutAsync("barn", one, "ann", CancellationToken.None);
        await packages.SetStateAsync(first.Id, PluginPackageStore.Sent, "", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await packages.AddRolloutAsync("barn", two, "ann", CancellationToken.None);
        var shed = await packages.AddRolloutAsync("shed", one, "bob", CancellationToken.None);
        var unfinished = await packages.UnfinishedAsync("barn", CancellationToken.None);
        await packages.SetStateAsync(first.Id, PluginPackageStore.Installed, "", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await packages.SetStateAsync(second.Id, PluginPackageStore.Failed, "no space", CancellationToken.None);

        var barn = await packages.ListRolloutsAsync("barn", CancellationToken.None);
        Assert.Equal((PluginPackageStore.Pending, "gate", "ann", Clock.GetUtcNow().AddMinutes(-2).ToUnixTimeMilliseconds()), (first.State, first.PluginId, first.CreatedBy, first.CreatedMs));
        Assert.Equal([second.Id], unfinished.Select(r => r.Id));
        Assert.Equal([(second.Id, PluginPackageStore.Failed, "no space"), (first.Id, PluginPackageStore.Superseded, "")], barn.Select(r => (r.Id, r.State, r.Error)));
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds(), barn[0].UpdatedMs);
        Assert.Equal(3, (await packages.ListRolloutsAsync(null, CancellationToken.None)).Count);
        Assert.Equal([shed.Id], (await packages.UnfinishedAsync("shed", CancellationToken.None)).Select(r => r.Id));
        Assert.Equal((true, true, false), (await packages.RolledOutToAsync("barn", "bb", CancellationToken.None), await packages.RolledOutToAsync("shed", "aa", CancellationToken.None), await packages.RolledOutToAsync("shed", "bb", CancellationToken.None)));
    }

    [Fact]
    public async Task Retrievals_StatesAndTheirClips_ProgressListsAndUnanswered()
    {
        var retrievals = new RetrievalStore(Database, Clock);
        await retrievals.AddAsync("r1", "barn", "yard", T0, T0.AddMinutes(10), "ann", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await retrievals.AddAsync("r2", "shed", "door", T0.AddMinutes(5), T0.AddMinutes(6), "ann", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await retrievals.AddAsync("r3", "barn", "yard", T0.AddDays(1), T0.AddDays(1).AddMinutes(1), "bob", CancellationToken.None);

        var pending = await retrievals.FindAsync("r1", CancellationToken.None);
        await retrievals.SetStateAsync("r1", RetrievalStore.Sent, "", CancellationToken.None);
        await retrievals.SetStateAsync("r1", RetrievalStore.Accepted, "", CancellationToken.None);
        await retrievals.SetStateAsync("r1", RetrievalStore.Sent, "", CancellationToken.None);
        await retrievals.SetStateAsync("r2", RetrievalStore.Refused, "holds only today", CancellationToken.None);
        // r1's clip announced by the node asked; r2's id announced by another node shows nothing.
        foreach (var (id, node, camera) in new[] { ("r1", "barn", "yard"), ("r2", "barn", "yard") })
        {
            await Database.ExecuteAsync(
                "INSERT INTO clips (id, node_id, camera_id, reason, start_ms, end_ms, size, sha256, announced_ms) VALUES (@Id, @Node, @Camera, 'retrieval', 0, 1, 4096, @Sha, 0)",
                new { Id = id, Node = node, Camera = camera, Sha = new byte[32] });
        }

        var uploading = await retrievals.FindAsync("r1", CancellationToken.None);
        await Database.ExecuteAsync("UPDATE clips SET state = 'stored' WHERE id = 'r1'");
        var done = await retrievals.FindAsync("r1", CancellationToken.None);
        var refused = await retrievals.FindAsync("r2", CancellationToken.None);

        Assert.Equal((RetrievalStore.Pending, "pending", T0.ToUnixTimeMilliseconds(), "ann"), (pending!.State, pending.Progress, pending.StartMs, pending.RequestedBy));
        Assert.Equal((RetrievalStore.Accepted, "uploading", "done", 4096L), (uploading!.State, uploading.Progress, done!.Progress, done.ClipSize!.Value));
        Assert.Equal((RetrievalStore.Refused, "holds only today", (string?)null, RetrievalStore.Refused), (refused!.State, refused.Error, refused.ClipState, refused.Progress));
        Assert.Equal(["r3", "r2", "r1"], (await retrievals.ListAsync(null, null, 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["r3"], (await retrievals.ListAsync("barn", "yard", 1, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["r2", "r1"], (await retrievals.OverlappingAsync(T0.AddMinutes(5).ToUnixTimeMilliseconds(), T0.AddHours(1).ToUnixTimeMilliseconds(), 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["r3"], (await retrievals.UnansweredAsync("barn", CancellationToken.None)).Select(r => r.Id));
        Assert.Null(await retrievals.FindAsync("r9", CancellationToken.None));
    }

    [Fact]
    public async Task Recorded_NodesRunsOfVideo_EmptyUntilReportedNullForAnUnknownCamera()
    {
        var retrievals = new RetrievalStore(Database, Clock);
        var before = await retrievals.RecordedAsync("barn", "yard", CancellationToken.None);
        await Database.ExecuteAsync("UPDATE cameras SET recorded_json = '[[1000, 2000], [5000, 9000]]' WHERE node_id = 'barn' AND id = 'yard'");

        var after = await retrievals.RecordedAsync("barn", "yard", CancellationToken.None);

        Assert.Empty(before!);
        Assert.Equal([(1000L, 2000L), (5000L, 9000L)], after!.Select(r => (r.Start.ToUnixTimeMilliseconds(), r.End.ToUnixTimeMilliseconds())));
        Assert.Null(await retrievals.RecordedAsync("barn", "nope", CancellationToken.None));
    }

    private static PluginPackageRow Package(string id, string version, long uploadedMs = 0) =>
        new() { Id = id, PluginId = "gate", Version = version, Description = "opens the gate", Size = 1234, UploadedBy = "ann", UploadedMs = uploadedMs };
}

public sealed class SqlitePluginPackageAndRetrievalStoreTests() : PluginPackageAndRetrievalStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresPluginPackageAndRetrievalStoreTests(PostgresFixture postgres) : PluginPackageAndRetrievalStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
