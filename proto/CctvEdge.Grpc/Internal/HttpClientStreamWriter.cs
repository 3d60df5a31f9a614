using System.Buffers;

namespace CctvEdge.Grpc.Internal;

/// <summary>Writes request messages into the call's request body, flushing each so it leaves at once.</summary>
internal sealed class HttpClientStreamWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call, PushStreamContent content)
    : IClientStreamWriter<TRequest>
    where TRequest : class
    where TResponse : class
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private Task _lastWrite = Task.CompletedTask;
    private bool _completed;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("Request stream has already been completed.");
        }

        if (!_lastWrite.IsCompleted)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        return _lastWrite = WriteCoreAsync(message);
    }

    public Task CompleteAsync()
    {
        _completed = true;
        content.Complete();
        return Task.CompletedTask;
    }

    private async Task WriteCoreAsync(TRequest message)
    {
        // The body stream appears once HttpClient starts sending; the call may end first (the server answered
        // or failed), and then a writer must see that status instead of waiting forever.
        var ready = await Task.WhenAny(content.StreamTask, call.Completion).ConfigureAwait(false);
        ThrowIfCallEnded();
        var stream = await ((Task<Stream>)ready).ConfigureAwait(false);

        _buffer.ResetWrittenCount();
        MessageFraming.WriteMessage(_buffer, message, call.Method.RequestMarshaller.ContextualSerializer, call.MaxSendMessageSize, call.CompressionFor(WriteOptions));
        try
        {
            await stream.WriteAsync(_buffer.WrittenMemory, call.CallToken).ConfigureAwait(false);
            await stream.FlushAsync(call.CallToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            ThrowIfCallEnded();
            throw new RpcException(new Status(StatusCode.Unavailable, "Error sending request message: " + ex.Message, ex));
        }
    }

    private void ThrowIfCallEnded()
    {
        if (call.Completion.IsCompleted)
        {
            var status = call.Completion.Result;
            throw status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("Can't write the message because the call is complete.")
                : new RpcException(status);
        }
    }
}
