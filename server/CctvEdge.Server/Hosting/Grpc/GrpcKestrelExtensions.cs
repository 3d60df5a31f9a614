using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CctvEdge.Server.Hosting.Grpc;

/// <summary>Kestrel settings for a gRPC endpoint: HTTP/2 limits and TLS.</summary>
internal static class GrpcKestrelExtensions
{
    /// <summary>Applies keepalive pings, receive windows and the stream limit to every HTTP/2 connection.</summary>
    public static KestrelServerOptions ConfigureGrpcHttp2(this KestrelServerOptions kestrel, GrpcHttp2Options options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        var http2 = kestrel.Limits.Http2;
        http2.KeepAlivePingDelay = options.KeepAlivePingDelaySeconds > 0 ? TimeSpan.FromSeconds(options.KeepAlivePingDelaySeconds) : TimeSpan.MaxValue;
        http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(options.KeepAlivePingTimeoutSeconds);
        // The connection window first: Kestrel checks the stream window against it.
        http2.InitialConnectionWindowSize = options.InitialConnectionWindowSize;
        http2.InitialStreamWindowSize = options.InitialStreamWindowSize;
        http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        return kestrel;
    }

    /// <summary>
    /// Serves the endpoint over TLS (HTTP/2 by ALPN) when <paramref name="options"/> enable it, else as cleartext h2c.
    /// Without a certificate file, a CA and server certificate are generated under <paramref name="generatedDirectory"/>
    /// on first run (<c>ca.crt</c> is what clients pin) and reused after.
    /// </summary>
    public static ListenOptions UseGrpcTransport(this ListenOptions listen, GrpcTlsOptions options, string generatedDirectory, IEnumerable<string>? sharedHostnames = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        // Cleartext needs HTTP/2 only: with HTTP/1.1 also on, Kestrel cannot tell h2c from HTTP/1.1. Over TLS ALPN decides.
        listen.Protocols = HttpProtocols.Http2;
        if (options.Enabled)
        {
            listen.UseHttps(ServerCertificates.Load(options, generatedDirectory, sharedHostnames));
        }

        return listen;
    }
}
