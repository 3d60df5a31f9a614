namespace CctvEdge.Grpc;

/// <summary>What a server handler knows about its call, and how it shapes the response.</summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, <c>/service/method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The authority the client addressed.</summary>
    public abstract string Host { get; }

    /// <summary>The peer's address, e.g. <c>ipv4:127.0.0.1:50123</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>The call's deadline in UTC; <see cref="DateTime.MaxValue"/> when none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The request headers, custom metadata only.</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Fires when the client cancels, the connection drops or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailers sent with the status.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status to send when the handler returns normally.</summary>
    public abstract Status Status { get; set; }

    /// <summary>Sends the response headers now, with extra metadata.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>How response messages are written unless the response stream says otherwise.</summary>
    public virtual WriteOptions? WriteOptions { get; set; }

    /// <summary>State a handler or interceptor may attach to the call.</summary>
    public abstract IDictionary<object, object> UserState { get; }
}
