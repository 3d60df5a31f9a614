namespace CctvEdge.Server.Hosting;

/// <summary>
/// A background service that runs one pass every <see cref="Interval"/> (read again after each pass, so a changed
/// option takes effect): a failed pass is logged and the next one comes at its time, so one bad row or a locked
/// database never stops retention, reports or outage checks for good. Passes run only while this server leads
/// (<see cref="Leadership"/>): of several replicas over one database, one runs them; a pass under way when leadership
/// is lost is cancelled, and the first pass of a new term comes after <see cref="FirstDelay"/>.
/// </summary>
internal abstract partial class PeriodicService(TimeProvider clock, Leadership leadership, ILogger logger) : BackgroundService
{
    /// <summary>The service's clock: a test's fake one, or the system's.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>The wait between the end of one pass and the start of the next.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The wait before the first pass.</summary>
    protected virtual TimeSpan FirstDelay => TimeSpan.Zero;

    /// <summary>One pass.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeadAsync, stoppingToken);

    /// <summary>A term of leadership ended (lost, or the server stops): let go of what only the leader holds.</summary>
    protected virtual Task EndTermAsync() => Task.CompletedTask;

    private async Task LeadAsync(CancellationToken leading)
    {
        try
        {
            await Task.Delay(FirstDelay, Clock, leading).ConfigureAwait(false);
            while (!leading.IsCancellationRequested)
            {
                try
                {
                    await RunPassAsync(leading).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, GetType().Name, ex);
                }

                await Task.Delay(Interval, Clock, leading).ConfigureAwait(false);
            }
        }
        finally
        {
            await EndTermAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "A {Service} pass failed; retrying at the next interval.")]
    private static partial void LogPassFailed(ILogger logger, string service, Exception exception);
}
