using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.TestProcessors;

/// <summary>Its settings: what file it appends to.</summary>
public sealed class LedgerSettings
{
    public string FileName { get; set; } = "ledger.txt";
}

/// <summary>Appends one line per stored result to a file in its data folder: proof that it heard of them.</summary>
public sealed class LedgerProcessor : IResultProcessor
{
    private string _path = "";

    public ValueTask StartAsync(IProcessorContext context, CancellationToken cancellationToken)
    {
        _path = Path.Combine(context.DataDirectory, context.BindSettings<LedgerSettings>().FileName);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnResultsAsync(StoredResults batch, CancellationToken cancellationToken) =>
        await File.AppendAllLinesAsync(_path, batch.Results.Select(r => $"{batch.NodeId} {r.Sequence} {r.PluginId} {r.Event?.Kind ?? r.Measurement?.Name}"), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Throws on every batch.</summary>
public sealed class ThrowingProcessor : IResultProcessor
{
    public ValueTask StartAsync(IProcessorContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnResultsAsync(StoredResults batch, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this processor always fails");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Blocks its thread forever on the first batch.</summary>
public sealed class SleepingProcessor : IResultProcessor
{
    public ValueTask StartAsync(IProcessorContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnResultsAsync(StoredResults batch, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
