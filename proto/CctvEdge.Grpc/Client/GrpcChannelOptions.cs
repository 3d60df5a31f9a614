using System.Security.Cryptography.X509Certificates;

namespace CctvEdge.Grpc.Client;

/// <summary>Options for a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>A handler to use instead of the channel's own <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>.</summary>
    public bool DisposeHttpHandler { get; set; }

    /// <summary>The largest response message accepted; null for no limit. Default 4 MiB, as in gRPC.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest request message sent; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>How long the connection may be idle before an HTTP/2 PING checks it (own handler only).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a PING answer before the connection is declared dead (own handler only).</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a TCP connect may take (own handler only).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// For https:// addresses: trust only servers whose certificate chains to this CA (e.g. the server's generated
    /// <c>ca.crt</c>), instead of the system store. The host name must still match (own handler only).
    /// </summary>
    public X509Certificate2? PinnedCaCertificate { get; set; }

    /// <summary>
    /// The HTTP/2 receive window each call starts with, in bytes; null keeps .NET's default, which grows on its own
    /// as a download proceeds (own handler only).
    /// </summary>
    public int? InitialStreamWindowSize { get; set; }
}
