using CctvEdge.Harness;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>One-time enrolment codes and node credentials (hashes in binary columns) on each engine.</summary>
public abstract class EnrolmentStoreTests : EngineStoreTests
{
    private static readonly byte[] Code = [.. Enumerable.Repeat((byte)7, 32)];
    private static readonly byte[] Secret = [.. Enumerable.Repeat((byte)9, 32)];

    private protected EnrolmentStoreTests(Func<TempDirectory, ITestDatabases> databases)
        : base(databases)
    {
    }

    [Fact]
    public async Task Redeem_CodeOnce_CredentialStoredCodeUsedSecondTimeRefused()
    {
        var enrolment = new EnrolmentStore(Database, Clock);
        var id = await enrolment.CreateCodeAsync(Code, "pi-1", "for the gate", "ann", Clock.GetUtcNow().AddHours(1), CancellationToken.None);

        var other = await enrolment.RedeemAsync(Code, "pi-2", Secret, CancellationToken.None);
        var unknown = await enrolment.RedeemAsync(Secret, "pi-1", Secret, CancellationToken.None);
        var enrolled = await enrolment.RedeemAsync(Code, "pi-1", Secret, CancellationToken.None);
        var again = await enrolment.RedeemAsync(Code, "pi-1", Secret, CancellationToken.None);

        Assert.Equal(
            (EnrolmentOutcome.CodeForAnotherNode, EnrolmentOutcome.UnknownCode, EnrolmentOutcome.Enrolled, EnrolmentOutcome.CodeUsed),
            (other, unknown, enrolled, again));
        var code = Assert.Single(await enrolment.ListCodesAsync(CancellationToken.None));
        Assert.Equal((id, "used", "pi-1"), (code.Id, code.State(Clock.GetUtcNow().ToUnixTimeMilliseconds()), code.UsedBy));
        Assert.Equal(Code, code.CodeHash);
        Assert.Equal(Secret, (await enrolment.FindCredentialAsync("pi-1", CancellationToken.None))!.SecretHash);
        Assert.True(await enrolment.RevokeCredentialAsync("pi-1", CancellationToken.None));
        Assert.NotNull((await enrolment.FindCredentialAsync("pi-1", CancellationToken.None))!.RevokedMs);
        Assert.False(await enrolment.RevokeCodeAsync(id, CancellationToken.None));
    }
}

public sealed class SqliteEnrolmentStoreTests() : EnrolmentStoreTests(temp => new SqliteTestDatabases(temp));

public sealed class PostgresEnrolmentStoreTests(PostgresFixture postgres) : EnrolmentStoreTests(_ => postgres), IClassFixture<PostgresFixture>;
