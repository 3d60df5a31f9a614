using System.IO.Pipelines;
using CctvEdge.Grpc.Internal;

namespace CctvEdge.Grpc.AspNetCore.Internal;

/// <summary>Reads request messages from the request body.</summary>
internal sealed class HttpContextStreamReader<T>(PipeReader reader, Func<DeserializationContext, T> deserializer, int maxReceiveSize, string? encoding, CancellationToken callToken)
    : IAsyncStreamReader<T>
{
    private T? _current;
    private Task<bool>? _pending;
    private bool _ended;

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_pending is { IsCompleted: false })
        {
            throw new InvalidOperationException("Can't read the next message because the previous read is still in progress.");
        }

        return _pending = MoveNextCoreAsync(cancellationToken);
    }

    private async Task<bool> MoveNextCoreAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken) : null;
        var (hasMessage, message) = await MessageFraming.ReadMessageAsync(reader, deserializer, maxReceiveSize, encoding, linked?.Token ?? callToken).ConfigureAwait(false);
        _ended = !hasMessage;
        _current = message;
        return hasMessage;
    }
}

/// <summary>Writes response messages into the response body, one at a time.</summary>
internal sealed class HttpContextStreamWriter<T>(HttpContextServerCallContext context, Action<T, SerializationContext> serializer, int maxSendSize)
    : IServerStreamWriter<T>
{
    private Task _lastWrite = Task.CompletedTask;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message)
    {
        if (!_lastWrite.IsCompleted)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        return _lastWrite = WriteAndFlushAsync(message);
    }

    /// <summary>Buffers one framed message without flushing.</summary>
    public void Write(T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (context.CallEnded)
        {
            throw new InvalidOperationException("Can't write the message because the call is complete.");
        }

        context.PrepareResponseHeaders(null);
        MessageFraming.WriteMessage(context.HttpContext.Response.BodyWriter, message, serializer, maxSendSize, context.CompressionFor(WriteOptions));
        context.ResponseMessageWritten = true;
    }

    private async Task WriteAndFlushAsync(T message)
    {
        Write(message);
        await context.HttpContext.Response.BodyWriter.FlushAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
