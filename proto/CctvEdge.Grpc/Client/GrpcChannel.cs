using CctvEdge.Grpc.Internal;

namespace CctvEdge.Grpc.Client;

/// <summary>
/// A long-lived connection to one server address: <c>http://</c> speaks h2c with prior knowledge, <c>https://</c>
/// HTTP/2 over TLS. Create one per server and share it; calls are multiplexed on it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly bool _disposeHandler;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        if (address.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Address '{address}' must use http:// (h2c) or https://.", nameof(address));
        }

        Address = address;
        var handler = options.HttpHandler ?? CreateDefaultHandler(options);
        _disposeHandler = options.HttpHandler is null || options.DisposeHttpHandler;
        HttpInvoker = new HttpMessageInvoker(handler, disposeHandler: false);
        Handler = handler;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize ?? int.MaxValue;
        Invoker = new HttpCallInvoker(this);
    }

    /// <summary>The server address.</summary>
    public Uri Address { get; }

    internal HttpMessageInvoker HttpInvoker { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    private HttpMessageHandler Handler { get; }

    private HttpCallInvoker Invoker { get; }

    /// <summary>Creates a channel for <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    /// <summary>Creates a channel for <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>The invoker typed clients use.</summary>
    public CallInvoker CreateCallInvoker() => Invoker;

    /// <inheritdoc />
    public void Dispose()
    {
        HttpInvoker.Dispose();
        if (_disposeHandler)
        {
            Handler.Dispose();
        }
    }

    private static SocketsHttpHandler CreateDefaultHandler(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Several connections once one reaches the server's stream limit, as Grpc.Net.Client does.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        if (options.InitialStreamWindowSize is { } window)
        {
            handler.InitialHttp2StreamWindowSize = window;
        }

        if (options.PinnedCaCertificate is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaPinning.IsTrusted(ca, certificate, errors);
        }

        return handler;
    }
}
