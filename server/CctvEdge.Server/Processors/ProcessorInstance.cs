using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.Server.Processors;

/// <summary>
/// One loaded server processor, on the lifecycle node plugins run on too (<see cref="PluginRunner{TPlugin}"/>): batches
/// wait in a bounded queue (dropped and counted when it is full, so ingest never waits); calls are guarded (one at a
/// time, exceptions counted, a circuit breaker, slow calls counted, a call that never returns reported as hung and
/// the processor switched off); start and stop have time limits. This class adds what is the server's: a processor
/// turned off by its settings, and the loaded folder it came from.
/// </summary>
internal sealed partial class ProcessorInstance : IAsyncDisposable
{
    private readonly int _queueLength;
    private readonly PluginRunner<IResultProcessor> _runner;
    private readonly ILogger _logger;
    private PluginQueue<StoredResults>? _batches;
    private PluginQueue<StoredClipFile>? _clips;

    public ProcessorInstance(PluginLoad load, ProcessorOptions options, ILogger logger)
    {
        Load = load;
        _logger = logger;
        _queueLength = options.QueueLength;
        var limits = new CallLimits(TimeSpan.FromMilliseconds(options.CallBudgetMilliseconds), TimeSpan.FromSeconds(options.HangSeconds));
        _runner = new PluginRunner<IResultProcessor>($"Processor {load.Id}", "a server restart reclaims it.", limits, logger, metricTags: [new("plugin", load.Id)]);
    }

    public PluginLoad Load { get; }

    public string Id => Load.Id;

    public string Version => Load.Manifest?.Version ?? "";

    public InstanceState State => _runner.State;

    public string Error => _runner.Error;

    public (long Processed, long Dropped, long Errors, long OverBudget) Counters => _runner.Counters;

    public async Task StartAsync(IProcessorContext context, bool enabled, CancellationToken cancellationToken)
    {
        if (!Load.IsLoaded)
        {
            _runner.Fail($"failed to load: {Load.Error}");
            return;
        }

        if (!enabled)
        {
            _runner.Disable();
            return;
        }

        var started = await _runner.StartAsync(
                async stop =>
                {
                    var processor = (IResultProcessor)Load.CreateInstance();
                    await processor.StartAsync(context, stop).ConfigureAwait(false);
                    return processor;
                },
                cancellationToken)
            .ConfigureAwait(false);
        if (!started)
        {
            return;
        }

        _batches = _runner.AddQueue<StoredResults>(_queueLength, nameof(IResultProcessor.OnResultsAsync), (processor, batch, stop) => processor.OnResultsAsync(batch, stop));
        if (_runner.Plugin is IClipProcessor)
        {
            // Clips share the guard with batches: a processor's calls never overlap.
            _clips = _runner.AddQueue<StoredClipFile>(_queueLength, nameof(IClipProcessor.OnClipStoredAsync), (processor, clip, stop) => ((IClipProcessor)processor).OnClipStoredAsync(clip, stop));
        }

        _runner.Run();
        LogStarted(_logger, Id, Version);
    }

    /// <summary>Queues a batch; never waits.</summary>
    public void Offer(StoredResults batch) => _batches?.Offer(batch);

    /// <summary>Queues a stored clip for a processor that hears of clips; never waits.</summary>
    public void OfferClip(StoredClipFile clip) => _clips?.Offer(clip);

    /// <summary>Lets the processor finish what is queued, then disposes it.</summary>
    public ValueTask DisposeAsync() => _runner.DisposeAsync();

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Processor {ProcessorId} {Version} running.")]
    private static partial void LogStarted(ILogger logger, string processorId, string version);
}
