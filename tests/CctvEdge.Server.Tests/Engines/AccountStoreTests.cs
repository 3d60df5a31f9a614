using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>Users (names unique whatever their case) and API tokens on each engine.</summary>
public abstract class AccountStoreTests : EngineStoreTests
{
    private protected AccountStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Users_FirstAdminOnlyOnceNamesAnyCaseLastAdminKept()
    {
        var users = new UserStore(Database, Clock);

        Assert.False(await users.AnyAsync(CancellationToken.None));
        var admin = await users.CreateAsync("Ann", "hash-1", "admin", onlyIfNone: true, CancellationToken.None);
        var second = await users.CreateAsync("bob", "hash-2", "admin", onlyIfNone: true, CancellationToken.None);
        var sameName = await users.CreateAsync("ANN", "hash-3", "viewer", onlyIfNone: false, CancellationToken.None);
        var viewer = await users.CreateAsync("bob", "hash-2", "viewer", onlyIfNone: false, CancellationToken.None);

        Assert.Equal(("Ann", null, null, "bob"), (admin!.Name, second, sameName, viewer!.Name));
        Assert.True(await users.AnyAsync(CancellationToken.None));
        Assert.Equal("hash-1", (await users.FindAsync("ann", CancellationToken.None))!.PasswordHash);
        Assert.True(await users.UpdateAsync("ANN", "hash-9", null, CancellationToken.None));
        Assert.Equal(("hash-9", "admin"), ((await users.FindAsync("Ann", CancellationToken.None))!.PasswordHash, (await users.FindAsync("Ann", CancellationToken.None))!.Role));
        Assert.False(await users.DeleteAsync("ann", CancellationToken.None));
        Assert.True(await users.DeleteAsync("BOB", CancellationToken.None));
        Assert.Equal(["Ann"], (await users.ListAsync(CancellationToken.None)).Select(u => u.Name));
        Assert.Equal(1, await users.CountAdminsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_CreateListRevokeTouch_HashKeptAndOwnerAnyCase()
    {
        var tokens = new TokenStore(Database, Clock);
        byte[] hash = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

        var id = await tokens.CreateAsync("script", "Ann", "read review", hash, Clock.GetUtcNow().AddDays(30), CancellationToken.None);
        await tokens.CreateAsync("other", "bob", "read", [1], null, CancellationToken.None);
        var token = await tokens.FindAsync(id, CancellationToken.None);
        await tokens.TouchAsync(token!, CancellationToken.None);

        Assert.Equal(hash, token!.SecretHash);
        Assert.Equal(["script"], (await tokens.ListAsync("ann", CancellationToken.None)).Select(t => t.Name));
        Assert.Equal(2, (await tokens.ListAsync(null, CancellationToken.None)).Count);
        Assert.True(await tokens.RevokeAsync(id, CancellationToken.None));
        Assert.False(await tokens.RevokeAsync(id, CancellationToken.None));
        var revoked = await tokens.FindAsync(id, CancellationToken.None);
        Assert.Equal((Clock.GetUtcNow().ToUnixTimeMilliseconds(), Clock.GetUtcNow().ToUnixTimeMilliseconds()), (revoked!.RevokedMs, revoked.LastUsedMs));
    }
}

public sealed class SqliteAccountStoreTests() : AccountStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresAccountStoreTests(PostgresFixture postgres) : AccountStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
