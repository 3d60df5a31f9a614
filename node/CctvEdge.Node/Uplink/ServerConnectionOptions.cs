namespace CctvEdge.Node.Uplink;

/// <summary>The <c>Server</c> section: how to reach the central server.</summary>
internal sealed class ServerConnectionOptions
{
    public const string Section = "Server";

    /// <summary>The server's gRPC address: http:// for h2c, https:// for TLS.</summary>
    public string Address { get; set; } = "http://127.0.0.1:5081";

    /// <summary>
    /// Several servers (replicas sharing one database), tried in order: after a lost or refused session the node goes
    /// on to the next one, wrapping round. When given, it replaces <see cref="Address"/>.
    /// </summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>The servers the node may reach, in the order it tries them.</summary>
    public IReadOnlyList<string> AllAddresses() => Addresses.Count > 0 ? Addresses : [Address];

    /// <summary>
    /// A PEM CA certificate to trust instead of the system store for an https:// address: the server's generated
    /// <c>tls/ca.crt</c>, or the CA of a certificate it was given. Empty trusts the system store.
    /// </summary>
    public string CaCertificate { get; set; } = "";

    /// <summary>The node's secret, when the server requires one.</summary>
    public string Credential { get; set; } = "";

    /// <summary>First wait before reconnecting, in seconds; doubles up to the maximum, with jitter.</summary>
    public double ReconnectMinSeconds { get; set; } = 1;

    /// <summary>Longest wait between reconnect attempts, in seconds.</summary>
    public double ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>Results kept while the server is away; beyond it the oldest are dropped and the loss reported.</summary>
    public int MaxPendingResults { get; set; } = 1_000_000;

    /// <summary>Bandwidth cap for clip uploads in KiB/s; 0 for none. Results and snapshots are not capped.</summary>
    public int MaxUploadKilobytesPerSecond { get; set; }
}
