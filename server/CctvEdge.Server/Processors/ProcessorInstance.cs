using System.Threading.Channels;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.Server.Processors;

internal enum ProcessorState
{
    Starting,
    Running,
    Failed,
    Disabled,
}

/// <summary>
/// One loaded server processor. Batches wait in a bounded queue (dropped and counted when it is full, so ingest never
/// waits); calls go through a <see cref="PluginCallGuard"/> like node plugins': one at a time, exceptions counted, a
/// circuit breaker, slow calls counted and a call that never returns reported as hung and the processor switched off.
/// </summary>
internal sealed partial class ProcessorInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly CallLimits _limits;
    private readonly Channel<StoredResults> _batches;
    private readonly PluginCallGuard _guard;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private IResultProcessor? _processor;
    private Task _loop = Task.CompletedTask;
    private long _processed;
    private long _dropped;

    public ProcessorInstance(PluginLoad load, ProcessorOptions options, ILogger logger)
    {
        Load = load;
        _logger = logger;
        _batches = Channel.CreateBounded<StoredResults>(new BoundedChannelOptions(options.QueueLength) { SingleReader = true });
        _limits = new CallLimits(TimeSpan.FromMilliseconds(options.CallBudgetMilliseconds), TimeSpan.FromSeconds(options.HangSeconds));
        _guard = new PluginCallGuard(_limits);
        _guard.Hung += (call, running) => Fail($"hung: {call} has not returned after {running.TotalSeconds:0}s; switched off. .NET cannot stop a stuck thread: a server restart reclaims it.");
    }

    public PluginLoad Load { get; }

    public string Id => Load.Id;

    public string Version => Load.Manifest?.Version ?? "";

    public ProcessorState State { get; private set; } = ProcessorState.Starting;

    public string Error { get; private set; } = "";

    public (long Processed, long Dropped, long Errors, long OverBudget) Counters
    {
        get
        {
            var (errors, overBudget) = _guard.Counters;
            return (Interlocked.Read(ref _processed), Interlocked.Read(ref _dropped), errors, overBudget);
        }
    }

    public async Task StartAsync(IProcessorContext context, bool enabled, CancellationToken cancellationToken)
    {
        if (!Load.IsLoaded)
        {
            Fail($"failed to load: {Load.Error}");
            return;
        }

        if (!enabled)
        {
            State = ProcessorState.Disabled;
            return;
        }

        try
        {
            await Task.Run(
                    async () =>
                    {
                        _processor = (IResultProcessor)Load.CreateInstance();
                        await _processor.StartAsync(context, cancellationToken).ConfigureAwait(false);
                    },
                    cancellationToken)
                .WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex is TimeoutException ? $"StartAsync did not finish within {StartTimeout.TotalSeconds}s." : $"failed to start: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        State = ProcessorState.Running;
        LogStarted(_logger, Id, Version);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Queues a batch; never waits.</summary>
    public void Offer(StoredResults batch)
    {
        if (State == ProcessorState.Running && !_batches.Writer.TryWrite(batch))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Lets the processor finish what is queued, then disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        _batches.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (_processor is not null && !_guard.IsHung)
        {
            try
            {
                await Task.Run(() => _processor.DisposeAsync().AsTask()).WaitAsync(DrainTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogDisposeFailed(_logger, Id, ex.Message);
            }
        }

        _processor = null;
        _guard.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var processor = _processor!;
        try
        {
            await foreach (var batch in _batches.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                if (State != ProcessorState.Running)
                {
                    continue;
                }

                var outcome = await _guard.RunAsync(nameof(IResultProcessor.OnResultsAsync), () => processor.OnResultsAsync(batch, stop), stop).ConfigureAwait(false);
                Interlocked.Increment(ref _processed);
                // The first failure and then every hundredth: enough to diagnose without flooding the log.
                if (outcome is CallOutcome.Failed or CallOutcome.Broken && _guard.Counters.Errors is var errors && (errors == 1 || errors % 100 == 0))
                {
                    LogThrew(_logger, Id, _guard.LastError!);
                }

                if (outcome == CallOutcome.Broken)
                {
                    Fail($"switched off after {_limits.FailuresBeforeBreaking} failures in a row; last: {_guard.LastError?.GetType().Name}: {_guard.LastError?.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void Fail(string error)
    {
        State = ProcessorState.Failed;
        Error = error;
        LogFailed(_logger, Id, error);
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Processor {ProcessorId} {Version} running.")]
    private static partial void LogStarted(ILogger logger, string processorId, string version);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error, Message = "Processor {ProcessorId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string processorId, string error);

    [LoggerMessage(EventId = 72, Level = LogLevel.Warning, Message = "Processor {ProcessorId} threw.")]
    private static partial void LogThrew(ILogger logger, string processorId, Exception exception);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning, Message = "Processor {ProcessorId} failed to stop cleanly: {Error}")]
    private static partial void LogDisposeFailed(ILogger logger, string processorId, string error);
}
