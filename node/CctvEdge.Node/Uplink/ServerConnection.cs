using System.Security.Cryptography.X509Certificates;
using CctvEdge.Node.Configuration;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// The HTTP/2 channel to the server, shared by the session, the clip uploads and plugin downloads, with the node's
/// identity. With several servers (<c>Server:Addresses</c>) there is a channel per server and one is current: the
/// session moves to the next after a failure (<see cref="Failover"/>), and the uploads follow on their next call.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private readonly Metadata _identity;
    private readonly X509Certificate2? _pinnedCa;
    private readonly (string Address, GrpcChannel Channel)[] _servers;
    private int _current;

    public ServerConnection(IOptions<ServerConnectionOptions> server, IOptions<NodeOptions> node)
    {
        // A pinned CA (Server:CaCertificate) for a server with its own generated CA; else the system store decides.
        _pinnedCa = server.Value.CaCertificate.Length > 0 ? X509CertificateLoader.LoadCertificateFromFile(server.Value.CaCertificate) : null;
        var settings = new UplinkChannelSettings
        {
            InitialReconnectBackoff = TimeSpan.FromSeconds(server.Value.ReconnectMinSeconds),
            MaxReconnectBackoff = TimeSpan.FromSeconds(server.Value.ReconnectMaxSeconds),
        };
        // A channel connects on its first call, so the servers not in use cost nothing.
        _servers = [.. server.Value.AllAddresses().Select(address => (address, UplinkChannel.Create(address, _pinnedCa, settings)))];
        _identity = new Metadata { { ClipService.NodeIdHeader, node.Value.Id } };
        if (server.Value.Credential.Length > 0)
        {
            _identity.Add(ClipService.CredentialHeader, server.Value.Credential);
        }
    }

    /// <summary>The current server's address.</summary>
    public string Address => _servers[Volatile.Read(ref _current)].Address;

    /// <summary>The current server's channel.</summary>
    public GrpcChannel Channel => _servers[Volatile.Read(ref _current)].Channel;

    /// <summary>Makes the next server current (wrapping round); false when there is only one.</summary>
    public bool Failover()
    {
        if (_servers.Length == 1)
        {
            return false;
        }

        Volatile.Write(ref _current, (Volatile.Read(ref _current) + 1) % _servers.Length);
        return true;
    }

    /// <summary>Options for a call that identifies the node, with a deadline when given.</summary>
    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(_identity, timeout is { } t ? DateTime.UtcNow + t : null, cancellationToken);

    public void Dispose()
    {
        foreach (var (_, channel) in _servers)
        {
            channel.Dispose();
        }

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
