namespace CctvEdge.Grpc;

/// <summary>Reads a stream of messages, one <see cref="MoveNext"/> at a time.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false at the end of the stream.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes a stream of messages; one write at a time.</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes one message and flushes it.</summary>
    Task WriteAsync(T message);

    /// <summary>
    /// Options for the following writes (e.g. <see cref="WriteFlags.NoCompress"/>). The default implementation
    /// keeps none, so simple test doubles need not implement it.
    /// </summary>
    WriteOptions? WriteOptions
    {
        get => null;
        set { }
    }
}

/// <summary>The server's writer of response messages.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The client's writer of request messages.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>Helpers for stream readers.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Reads every message as an async sequence.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
