using CctvEdge.Harness;
using CctvEdge.Server.Accounts;
using CctvEdge.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests;

/// <summary>The sign-in lock per user name and client address, over a real database file.</summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private const string Here = "192.0.2.10";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _temp = new("cctvedge-throttle");
    private SqliteDatabase _database = null!;
    private SignInThrottle _throttle = null!;

    public async Task InitializeAsync()
    {
        _database = await OpenAsync();
        _throttle = new SignInThrottle(_database, _clock);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Failed_FifthFailureInARow_LocksThirtySecondsThenDoubles()
    {
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            Assert.Null(await FailAsync("admin"));
        }

        Assert.Null(await _throttle.LockedForAsync("admin", Here, default));
        Assert.Equal(TimeSpan.FromSeconds(30), await FailAsync("admin"));
        Assert.Equal(TimeSpan.FromSeconds(30), await _throttle.LockedForAsync("ADMIN", Here, default));

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await _throttle.LockedForAsync("admin", Here, default));
        Assert.Equal(TimeSpan.FromSeconds(60), await FailAsync("admin"));
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TimeSpan.FromSeconds(120), await FailAsync("admin"));
    }

    [Fact]
    public async Task Failed_ManyTimes_LockNeverLongerThanFifteenMinutes()
    {
        TimeSpan? locked = null;
        for (var i = 0; i < 40; i++)
        {
            locked = await FailAsync("admin");
            _clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(TimeSpan.FromMinutes(15), locked);
    }

    [Fact]
    public async Task Succeeded_AfterFailures_CountStartsAgain()
    {
        for (var i = 1; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        await _throttle.SucceededAsync("admin", Here, default);

        Assert.Null(await FailAsync("admin"));
        Assert.Null(await _throttle.LockedForAsync("admin", Here, default));
    }

    [Fact]
    public async Task Locked_OneNameFromOneAddress_OtherNamesAndAddressesUnaffected()
    {
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        Assert.NotNull(await _throttle.LockedForAsync("admin", Here, default));
        Assert.Null(await _throttle.LockedForAsync("viewer", Here, default));
        Assert.Null(await _throttle.LockedForAsync("admin", "198.51.100.7", default));
    }

    [Fact]
    public async Task Locked_SurvivesARestart()
    {
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            await FailAsync("admin");
        }

        // A new server process: a new database handle and throttle on the same file.
        var restarted = new SignInThrottle(await OpenAsync(), _clock);

        Assert.Equal(TimeSpan.FromSeconds(30), await restarted.LockedForAsync("admin", Here, default));
    }

    private Task<TimeSpan?> FailAsync(string name) => _throttle.FailedAsync(name, Here, default);

    private async Task<SqliteDatabase> OpenAsync()
    {
        var database = new SqliteDatabase(_temp.Combine("cctvedge.db"), NullLogger.Instance);
        await database.MigrateAsync(typeof(SignInThrottle).Assembly, "CctvEdge.Server.Storage.Schema.", CancellationToken.None);
        return database;
    }
}
