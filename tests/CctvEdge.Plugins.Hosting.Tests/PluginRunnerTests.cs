using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Plugins.Hosting.Tests;

public sealed class PluginRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    // A start that never ends fails after 0.3 s; the other tests allow a start 10 s, because a first exception can take
    // longer than 0.3 s on a loaded CI machine (loading the runtime's resources), and a drain 0.3 s.
    private static readonly LifecycleLimits Quick = new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300));
    private static readonly LifecycleLimits QuickDrain = new(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task StartAsync_PluginStarts_RunningAfterRun()
    {
        await using var runner = Runner();

        var started = await runner.StartAsync(_ => ValueTask.FromResult<IFakePlugin>(new FakePlugin()), CancellationToken.None).WaitAsync(Timeout);
        runner.Run();

        Assert.True(started);
        Assert.NotNull(runner.Plugin);
        Assert.Equal(InstanceState.Running, runner.State);
    }

    [Fact]
    public async Task StartAsync_PluginThrows_FailedWithTypeAndMessage()
    {
        await using var runner = Runner();

        var started = await runner.StartAsync(_ => throw new InvalidOperationException("no camera"), CancellationToken.None).WaitAsync(Timeout);

        Assert.False(started);
        Assert.Equal(InstanceState.Failed, runner.State);
        Assert.Equal("failed to start: InvalidOperationException: no camera", runner.Error);
    }

    [Fact]
    public async Task StartAsync_HostExplainsException_HostWordingUsed()
    {
        await using var runner = Runner();

        await runner.StartAsync(_ => throw new ArgumentException("Step must be positive"), CancellationToken.None, ex => ex is ArgumentException ? $"invalid settings: {ex.Message}" : null).WaitAsync(Timeout);

        Assert.Equal("invalid settings: Step must be positive", runner.Error);
    }

    [Fact]
    public async Task StartAsync_NeverFinishes_FailedAfterStartTimeoutAndNotDisposed()
    {
        var plugin = new FakePlugin();
        await using var runner = Runner(lifecycle: Quick);

        var started = await runner.StartAsync(
                async stop =>
                {
                    await Task.Delay(System.Threading.Timeout.Infinite, CancellationToken.None);
                    return plugin;
                },
                CancellationToken.None)
            .WaitAsync(Timeout);

        Assert.False(started);
        Assert.Contains("did not finish within", runner.Error, StringComparison.Ordinal);
        Assert.Null(runner.Plugin);
    }

    [Fact]
    public async Task AddQueue_ItemsOffered_HandledInOrderAndCounted()
    {
        var plugin = new FakePlugin();
        await using var runner = await RunningAsync(plugin);
        var queue = runner.AddQueue<int>(10, "Handle", (p, item, stop) => p.HandleAsync(item, stop));

        Assert.All(Enumerable.Range(1, 5), i => Assert.True(queue.Offer(i)));

        await Eventually.TrueAsync(() => plugin.Handled.Count == 5, Timeout, "five items to be handled");
        Assert.Equal([1, 2, 3, 4, 5], plugin.Handled);
        Assert.Equal(5, runner.Counters.Processed);
    }

    [Fact]
    public async Task Offer_QueueFull_DroppedCountedAndReleased()
    {
        using var gate = new SemaphoreSlim(0);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new List<int>();
        var plugin = new FakePlugin(async (_, stop) =>
        {
            entered.TrySetResult();
            await gate.WaitAsync(stop);
        });
        await using var runner = await RunningAsync(plugin);
        var queue = runner.AddQueue<int>(1, "Handle", (p, item, stop) => p.HandleAsync(item, stop), release: i => { lock (released) { released.Add(i); } });

        queue.Offer(1);
        await entered.Task.WaitAsync(Timeout);
        var second = queue.Offer(2);
        var third = queue.Offer(3);

        Assert.True(second);
        Assert.False(third);
        Assert.Equal(1, runner.Counters.Dropped);
        lock (released)
        {
            Assert.Equal([3], released);
        }

        gate.Release(2);
    }

    [Fact]
    public async Task Offer_NotRunning_RefusedReleasedNotCounted()
    {
        var released = 0;
        await using var runner = Runner();
        var queue = runner.AddQueue<int>(10, "Handle", (p, item, stop) => p.HandleAsync(item, stop), release: _ => released++);

        var taken = queue.Offer(1);

        Assert.False(taken);
        Assert.Equal(1, released);
        Assert.Equal(0, runner.Counters.Dropped);
    }

    [Fact]
    public async Task CallAsync_Throws_WarningKeptAndCounted()
    {
        await using var runner = await RunningAsync(new FakePlugin());

        var outcome = await runner.CallAsync("OnFrameAsync", () => throw new FormatException("bad frame"), CancellationToken.None).AsTask().WaitAsync(Timeout);

        Assert.Equal(CallOutcome.Failed, outcome);
        Assert.Equal(InstanceState.Running, runner.State);
        Assert.Equal(1, runner.Counters.Errors);
        Assert.Equal("OnFrameAsync threw FormatException: bad frame (1 errors so far)", runner.Warning);
    }

    [Fact]
    public async Task CallAsync_FailuresInARow_SwitchedOffOnceWithReason()
    {
        await using var runner = await RunningAsync(new FakePlugin(), new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), FailuresBeforeBreaking: 3));
        var switchedOff = 0;
        runner.SwitchedOff += () => switchedOff++;

        for (var i = 0; i < 4; i++)
        {
            await runner.CallAsync("Handle", () => throw new InvalidOperationException("always"), CancellationToken.None).AsTask().WaitAsync(Timeout);
        }

        Assert.Equal(InstanceState.Failed, runner.State);
        Assert.Equal("switched off after 3 failures in a row; last: InvalidOperationException: always", runner.Error);
        Assert.Equal(1, switchedOff);
    }

    [Fact]
    public async Task CallAsync_NeverReturns_HungSwitchedOffStoppingCancelledAndPluginNotDisposed()
    {
        var plugin = new FakePlugin((_, _) => new ValueTask(Task.Delay(System.Threading.Timeout.Infinite)));
        var runner = await RunningAsync(plugin, new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200)));
        var switchedOff = false;
        runner.SwitchedOff += () => switchedOff = true;
        var queue = runner.AddQueue<int>(10, "Handle", (p, item, stop) => p.HandleAsync(item, CancellationToken.None));

        queue.Offer(1);

        await Eventually.TrueAsync(() => runner.State == InstanceState.Failed, Timeout, "the hung call to be reported");
        Assert.True(switchedOff);
        Assert.True(runner.IsHung);
        Assert.True(runner.Stopping.IsCancellationRequested);
        Assert.StartsWith("hung: Handle has not returned after", runner.Error, StringComparison.Ordinal);
        Assert.EndsWith("a test restart reclaims it.", runner.Error, StringComparison.Ordinal);
        await runner.DisposeAsync().AsTask().WaitAsync(Timeout);
        Assert.False(plugin.Disposed);
    }

    [Fact]
    public async Task CallAsync_OverBudget_Counted()
    {
        await using var runner = await RunningAsync(new FakePlugin(), new CallLimits(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30)));

        await runner.CallAsync("Handle", async () => await Task.Delay(60), CancellationToken.None).AsTask().WaitAsync(Timeout);

        Assert.Equal(1, runner.Counters.OverBudget);
    }

    [Fact]
    public async Task CallAndWaitAsync_NeverReturns_NullWithinHangLimit()
    {
        await using var runner = await RunningAsync(new FakePlugin(), new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200)));

        var outcome = await runner.CallAndWaitAsync("ReconfigureAsync", stop => new ValueTask(Task.Delay(System.Threading.Timeout.Infinite, stop)), CancellationToken.None).WaitAsync(Timeout);

        Assert.Null(outcome);
    }

    [Fact]
    public async Task DisposeAsync_ItemsQueued_DrainedThenPluginDisposed()
    {
        var plugin = new FakePlugin(async (_, _) => await Task.Delay(20));
        var runner = await RunningAsync(plugin, lifecycle: new LifecycleLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)));
        var queue = runner.AddQueue<int>(10, "Handle", (p, item, stop) => p.HandleAsync(item, stop));
        for (var i = 0; i < 5; i++)
        {
            queue.Offer(i);
        }

        await runner.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(5, plugin.Handled.Count);
        Assert.True(plugin.Disposed);
        Assert.Null(runner.Plugin);
    }

    [Fact]
    public async Task DisposeAsync_TimerLoopWaitingOnDraining_EndsAtOnceNotAfterTheDrainTimeout()
    {
        var turns = 0;
        var runner = await RunningAsync(new FakePlugin(), lifecycle: new LifecycleLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)));
        runner.AddLoop(async stop =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (await timer.WaitForNextTickAsync(runner.Draining))
            {
                await runner.CallAsync("Tick", () => { Interlocked.Increment(ref turns); return ValueTask.CompletedTask; }, stop);
            }
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref turns) > 0, Timeout, "the timer turning");

        // Well under the 30 s drain timeout, which the dispose waited in full while timers waited on the stop token.
        await runner.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DisposeAsync_DrainTooSlow_CancelledAndLeftoversReleased()
    {
        var released = 0;
        var plugin = new FakePlugin((_, stop) => new ValueTask(Task.Delay(System.Threading.Timeout.Infinite, stop)));
        var runner = await RunningAsync(plugin);
        var queue = runner.AddQueue<int>(10, "Handle", (p, item, stop) => p.HandleAsync(item, stop), release: _ => Interlocked.Increment(ref released));
        for (var i = 0; i < 4; i++)
        {
            queue.Offer(i);
        }

        await runner.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Empty(plugin.Handled);
        Assert.Equal(4, Volatile.Read(ref released));
        Assert.True(plugin.Disposed);
    }

    private static PluginRunner<IFakePlugin> Runner(CallLimits? limits = null, LifecycleLimits? lifecycle = null) =>
        new("Fake plugin", "a test restart reclaims it.", limits ?? new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), NullLogger.Instance, lifecycle ?? QuickDrain);

    private static async Task<PluginRunner<IFakePlugin>> RunningAsync(FakePlugin plugin, CallLimits? limits = null, LifecycleLimits? lifecycle = null)
    {
        var runner = Runner(limits, lifecycle);
        Assert.True(await runner.StartAsync(_ => ValueTask.FromResult<IFakePlugin>(plugin), CancellationToken.None).WaitAsync(Timeout));
        runner.Run();
        return runner;
    }
}
