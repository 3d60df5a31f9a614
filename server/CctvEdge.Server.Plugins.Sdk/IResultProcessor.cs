using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Plugins.Sdk;

/// <summary>
/// A server processor: hears of every batch of results the server stores, after the transaction that stored them has
/// committed. The server creates one instance (through the public parameterless constructor of the manifest's entry
/// type), calls <see cref="StartAsync"/> once, then <see cref="OnResultsAsync"/> per batch, and disposes it when the
/// processor is removed or the server stops. Calls never overlap. Batches wait in a bounded queue: a processor that
/// falls behind loses batches (counted), it never slows ingest down.
/// </summary>
public interface IResultProcessor : IAsyncDisposable
{
    /// <summary>Prepares the processor; read its settings here and throw when they are wrong.</summary>
    ValueTask StartAsync(IProcessorContext context, CancellationToken cancellationToken);

    /// <summary>Reacts to one stored batch of one node's results.</summary>
    ValueTask OnResultsAsync(StoredResults batch, CancellationToken cancellationToken);
}

/// <summary>What the server offers a processor.</summary>
public interface IProcessorContext
{
    /// <summary>The processor's id from its manifest.</summary>
    string ProcessorId { get; }

    /// <summary>
    /// Binds the processor's settings (<c>Processors:Settings:&lt;id&gt;</c> in the server's config) to
    /// <typeparamref name="T"/>; unknown names or wrong types throw an exception naming the setting.
    /// </summary>
    T BindSettings<T>()
        where T : class, new();

    /// <summary>A folder of the processor's own under the server's data directory, for its files.</summary>
    string DataDirectory { get; }

    /// <summary>A logger named after the processor.</summary>
    ILogger Logger { get; }

    /// <summary>The server's clock.</summary>
    TimeProvider Clock { get; }

    /// <summary>
    /// The stored pictures and clips to read, and the events to label (SDK 1.1). A host older than 1.1 offers none:
    /// the default throws <see cref="NotSupportedException"/>.
    /// </summary>
    IProcessorMedia Media => throw new NotSupportedException("This server offers processors no media (it predates processor SDK 1.1).");
}

/// <summary>The processor ABI of this SDK: the server loads a processor only when its manifest's <c>sdkAbi</c> matches.</summary>
public static class ProcessorAbi
{
    /// <summary>The ABI version; the SDK package's major version.</summary>
    public const int Version = 1;
}
