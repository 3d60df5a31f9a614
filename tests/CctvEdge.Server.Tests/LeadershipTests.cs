using CctvEdge.Server.Hosting;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests;

/// <summary>Periodic jobs run on the leader only: no pass while another replica leads, passes again once this one does.</summary>
public sealed class LeadershipTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero));
    private readonly Leadership _leadership = new(NullLogger<Leadership>.Instance);

    [Fact]
    public async Task PeriodicService_NotLeader_NoPassUntilLeadershipComes()
    {
        using var service = new CountingService(_clock, _leadership);
        await service.StartAsync(CancellationToken.None);

        await AdvanceAsync(10);
        Assert.Equal(0, service.Passes);

        _leadership.Gain("test");
        await UntilAsync(() => service.Passes == 1);
        await AdvanceUntilAsync(() => service.Passes == 2);

        await service.StopAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    [Fact]
    public async Task PeriodicService_LeadershipLost_PassesStopAndResumeWithTheNextTerm()
    {
        using var service = new CountingService(_clock, _leadership);
        _leadership.Gain("test");
        await service.StartAsync(CancellationToken.None);
        await UntilAsync(() => service.Passes == 1);

        _leadership.Lose("test");
        await UntilAsync(() => service.TermsEnded == 1);
        await AdvanceAsync(10);
        Assert.Equal(1, service.Passes);

        _leadership.Gain("test");
        await UntilAsync(() => service.Passes == 2);
        await service.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(2, service.TermsEnded);
    }

    [Fact]
    public async Task RunWhileLeading_LeadershipLostMidWork_WorkCancelledAndRunAgainNextTerm()
    {
        var started = 0;
        using var stop = new CancellationTokenSource();
        var running = _leadership.RunWhileLeadingAsync(
            async leading =>
            {
                Interlocked.Increment(ref started);
                await Task.Delay(Timeout.Multiply(10), leading);
            },
            stop.Token);

        _leadership.Gain("test");
        await UntilAsync(() => started == 1);
        _leadership.Lose("test");
        Assert.False(running.IsCompleted);
        _leadership.Gain("test");
        await UntilAsync(() => started == 2);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Timeout));
    }

    /// <summary>Moves the fake clock by several intervals, giving the service time to run what falls due.</summary>
    private async Task AdvanceAsync(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            _clock.Advance(CountingService.Every);
            await Task.Delay(20);
        }
    }

    /// <summary>Moves the fake clock an interval at a time until <paramref name="done"/>.</summary>
    private Task AdvanceUntilAsync(Func<bool> done) => Eventually.TrueAsync(
        () =>
        {
            if (done())
            {
                return true;
            }

            _clock.Advance(CountingService.Every);
            return false;
        },
        Timeout,
        "the next pass");

    private static Task UntilAsync(Func<bool> done) => Eventually.TrueAsync(done, Timeout, "the service");

    private sealed class CountingService(TimeProvider clock, Leadership leadership) : PeriodicService(clock, leadership, NullLogger.Instance)
    {
        public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
        private int _passes;
        private int _termsEnded;

        public int Passes => Volatile.Read(ref _passes);

        public int TermsEnded => Volatile.Read(ref _termsEnded);

        protected override TimeSpan Interval => Every;

        protected override Task RunPassAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _passes);
            return Task.CompletedTask;
        }

        protected override Task EndTermAsync()
        {
            Interlocked.Increment(ref _termsEnded);
            return Task.CompletedTask;
        }
    }
}
