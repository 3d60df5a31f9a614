namespace CctvEdge.Grpc.Internal;

/// <summary>Reads response messages of a streaming call.</summary>
internal sealed class HttpResponseStreamReader<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private TResponse? _current;
    private Task<bool>? _pending;

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

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
        var (hasMessage, message) = await call.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        _current = message;
        return hasMessage;
    }
}
