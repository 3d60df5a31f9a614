using System.Security.Cryptography.X509Certificates;
using CctvEdge.Protocol;
using Grpc.Net.Client;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// The node's HTTP/2 connection to the server on Grpc.Net.Client: <c>http://</c> is h2c with prior knowledge,
/// <c>https://</c> is TLS. What gRPC's defaults do not give a node on a 4G link is set on the handler here.
/// </summary>
internal static class UplinkChannel
{
    /// <summary>A channel for <paramref name="address"/>; with <paramref name="pinnedCa"/>, only that CA is trusted.</summary>
    public static GrpcChannel Create(string address, X509Certificate2? pinnedCa, UplinkChannelSettings? settings = null)
    {
        var uri = new Uri(address);
        if (uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Address '{address}' must use http:// (h2c) or https://.", nameof(address));
        }

        settings ??= new UplinkChannelSettings();
        var handler = new SocketsHttpHandler
        {
            // Several connections once one reaches the server's stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // HTTP/2 pings find a link that died silently (a 4G modem that lost its carrier) long before TCP would.
            KeepAlivePingDelay = settings.KeepAlivePingDelay,
            KeepAlivePingTimeout = settings.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = settings.ConnectTimeout,
            UseCookies = false,
            UseProxy = false,
        };
        if (settings.InitialStreamWindowSize is { } window)
        {
            handler.InitialHttp2StreamWindowSize = window;
        }

        if (pinnedCa is not null)
        {
            handler.SslOptions.CertificateChainPolicy = PinnedTo(pinnedCa);
        }

        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MessageLimits.MaxMessageBytes,
            MaxSendMessageSize = MessageLimits.MaxMessageBytes,
            // The channel's own reconnect backoff (up to 120 s by default) must not outlast the node's (Server:Reconnect*).
            InitialReconnectBackoff = settings.InitialReconnectBackoff,
            MaxReconnectBackoff = settings.MaxReconnectBackoff,
        });
    }

    /// <summary>
    /// The chain policy of a private CA the system store does not hold: only <paramref name="ca"/> is a root, and no
    /// revocation lists are fetched (a private CA publishes none). The platform's own validation keeps checking the
    /// host name and that a certificate was sent at all.
    /// </summary>
    internal static X509ChainPolicy PinnedTo(X509Certificate2 ca)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        return policy;
    }
}
