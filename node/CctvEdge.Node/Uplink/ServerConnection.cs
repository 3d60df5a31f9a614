using System.Security.Cryptography.X509Certificates;
using CctvEdge.Node.Configuration;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink;

/// <summary>The one HTTP/2 channel to the server, shared by the session and the clip uploads, with the node's identity.</summary>
internal sealed class ServerConnection : IDisposable
{
    private readonly Metadata _identity;
    private readonly X509Certificate2? _pinnedCa;

    public ServerConnection(IOptions<ServerConnectionOptions> server, IOptions<NodeOptions> node)
    {
        Address = server.Value.Address;
        // A pinned CA (Server:CaCertificate) for a server with its own generated CA; else the system store decides.
        _pinnedCa = server.Value.CaCertificate.Length > 0 ? X509CertificateLoader.LoadCertificateFromFile(server.Value.CaCertificate) : null;
        Channel = UplinkChannel.Create(Address, _pinnedCa, new UplinkChannelSettings
        {
            InitialReconnectBackoff = TimeSpan.FromSeconds(server.Value.ReconnectMinSeconds),
            MaxReconnectBackoff = TimeSpan.FromSeconds(server.Value.ReconnectMaxSeconds),
        });
        _identity = new Metadata { { ClipService.NodeIdHeader, node.Value.Id } };
        if (server.Value.Credential.Length > 0)
        {
            _identity.Add(ClipService.CredentialHeader, server.Value.Credential);
        }
    }

    public string Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Options for a call that identifies the node, with a deadline when given.</summary>
    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(_identity, timeout is { } t ? DateTime.UtcNow + t : null, cancellationToken);

    public void Dispose()
    {
        Channel.Dispose();
        _pinnedCa?.Dispose();
    }
}

/// <summary>What the clip side of the node looks like, for heartbeats.</summary>
internal sealed class UploadStatus
{
    private string _error = "";
    private long _lostClips;

    public string Error
    {
        get => Volatile.Read(ref _error);
        set => Volatile.Write(ref _error, value);
    }

    public long LostClips => Interlocked.Read(ref _lostClips);

    public void ClipLost() => Interlocked.Increment(ref _lostClips);
}

/// <summary>How far the session has sent results; the clip uploader holds back while results wait.</summary>
internal sealed class ResultDelivery
{
    private long _lastSent = long.MaxValue;

    /// <summary>The highest sequence sent in the current session; max when no session is open (nothing to wait for).</summary>
    public ulong LastSent
    {
        get => (ulong)Interlocked.Read(ref _lastSent);
        set => Interlocked.Exchange(ref _lastSent, (long)value);
    }
}
