using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CctvEdge.ServiceHosting;

/// <summary>
/// Lets systemd supervise the program (the units in deploy/ use <c>Type=notify</c> and <c>WatchdogSec</c>): under
/// systemd, READY=1 is sent once every hosted service has started and STOPPING=1 when SIGTERM begins the stop
/// (Microsoft.Extensions.Hosting.Systemd), and the watchdog is fed while the process is alive. Outside systemd none of
/// this does anything.
/// </summary>
public static class SystemdService
{
    public static IServiceCollection AddSystemdService(this IServiceCollection services)
    {
        services.AddSystemd();
        services.AddHostedService(sp => new SystemdWatchdog(sp.GetService<ISystemdNotifier>(), Environment.GetEnvironmentVariable("WATCHDOG_USEC"), TimeProvider.System));
        return services;
    }
}

/// <summary>
/// Sends WATCHDOG=1 at half the interval systemd asked for (<c>WATCHDOG_USEC</c>). It runs on the thread pool like
/// all of the program's work, so a process whose pool is starved or deadlocked stops feeding it and systemd restarts it
/// (<c>Restart=always</c>).
/// </summary>
internal sealed class SystemdWatchdog(ISystemdNotifier? notifier, string? watchdogMicroseconds, TimeProvider clock) : BackgroundService
{
    public static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The ping interval, or null when systemd asked for no watchdog (or this is not a systemd service).</summary>
    public TimeSpan? Interval =>
        notifier is { IsEnabled: true } && long.TryParse(watchdogMicroseconds, out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds / 2.0)
            : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            notifier!.Notify(Ping);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
