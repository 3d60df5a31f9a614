using System.Collections.Concurrent;
using CctvEdge.ServiceHosting;
using CctvEdge.Testing;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

public sealed class SystemdWatchdogTests
{
    [Fact]
    public async Task UnderSystemdWithAWatchdog_PingsAtHalfTheInterval()
    {
        var notifier = new RecordingNotifier(enabled: true);
        var clock = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, "60000000", clock);

        Assert.Equal(TimeSpan.FromSeconds(30), watchdog.Interval);
        await watchdog.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => notifier.States.Count == 1, TimeSpan.FromSeconds(10), "the first ping at once");
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        await Eventually.TrueAsync(() => notifier.States.Count == 4, TimeSpan.FromSeconds(10), "a ping every 30 s");
        await watchdog.StopAsync(CancellationToken.None);
        Assert.All(notifier.States, s => Assert.Equal("WATCHDOG=1", s));
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, "0")]
    [InlineData(true, "soon")]
    [InlineData(false, "60000000")]
    public async Task WithoutAWatchdogOrOutsideSystemd_SendsNothing(bool underSystemd, string? microseconds)
    {
        var notifier = new RecordingNotifier(underSystemd);
        using var watchdog = new SystemdWatchdog(notifier, microseconds, new FakeTimeProvider());

        Assert.Null(watchdog.Interval);
        await watchdog.StartAsync(CancellationToken.None);
        await watchdog.StopAsync(CancellationToken.None);
        Assert.Empty(notifier.States);
    }

    private sealed class RecordingNotifier(bool enabled) : ISystemdNotifier
    {
        public ConcurrentQueue<string> States { get; } = new();

        public bool IsEnabled => enabled;

        public void Notify(ServiceState state) => States.Enqueue(state.ToString());
    }
}
