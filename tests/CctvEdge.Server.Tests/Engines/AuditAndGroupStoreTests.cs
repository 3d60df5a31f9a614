using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>The audit log and the camera groups (a named thing, unique whatever its case) on each engine.</summary>
public abstract class AuditAndGroupStoreTests : EngineStoreTests
{
    private protected AuditAndGroupStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Audit_FiltersAndRetention_NewestFirstOfTheActorAndSpan()
    {
        var audit = new AuditStore(Database, Clock);
        await audit.AddAsync("ann", "web", "acknowledge", "event 1", "done", "", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await audit.AddAsync("bob", "api", "POST /api/x", "", "200", "127.0.0.1", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await audit.AddAsync("ann", "web", "flag", "event 2", "done", "", CancellationToken.None);

        var ann = await audit.ListAsync(10, 0, "ann", null, null, CancellationToken.None);
        var all = await audit.ListAsync(10, 0, null, null, null, CancellationToken.None);
        var firstMinute = await audit.ListAsync(10, 0, null, null, Clock.GetUtcNow().AddSeconds(-61), CancellationToken.None);
        var deleted = await audit.DeleteBeforeAsync(Clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(["flag", "acknowledge"], ann.Select(a => a.Action));
        Assert.Equal(["ann", "bob", "ann"], all.Select(a => a.Actor));
        Assert.Equal(["acknowledge"], firstMinute.Select(a => a.Action));
        Assert.Equal(2, deleted);
    }

    [Fact]
    public async Task Groups_SameNameOtherCase_RefusedUpdateAndDeleteById()
    {
        var groups = new CameraGroupStore(Database, Clock);

        var (saved, id) = await groups.SaveAsync(null, "Barn", ["barn.yard"], "ann", CancellationToken.None);
        var (taken, takenBy) = await groups.SaveAsync(null, "BARN", ["shed.door"], "ann", CancellationToken.None);
        var (renamed, _) = await groups.SaveAsync(id, "barn", ["barn.yard", "shed.door"], "bob", CancellationToken.None);
        var (missing, _) = await groups.SaveAsync(id + 100, "Elsewhere", [], "bob", CancellationToken.None);

        Assert.Equal((SaveOutcome.Saved, SaveOutcome.NameTaken, id, SaveOutcome.Saved, SaveOutcome.NotFound), (saved, taken, takenBy, renamed, missing));
        var group = Assert.Single(await groups.ListAsync(CancellationToken.None));
        Assert.Equal(("barn", "barn.yard shed.door", "bob"), (group.Name, group.Cameras, group.UpdatedBy));
        Assert.True(await groups.DeleteAsync(id, CancellationToken.None));
        Assert.Empty(await groups.ListAsync(CancellationToken.None));
    }
}

public sealed class SqliteAuditAndGroupStoreTests() : AuditAndGroupStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresAuditAndGroupStoreTests(PostgresFixture postgres) : AuditAndGroupStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
