namespace CctvEdge.Node.Uplink;

/// <summary>Connection timings of the uplink channel; tests shorten them.</summary>
internal sealed record UplinkChannelSettings
{
    /// <summary>Idle time before the node PINGs the server.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a PING may go unanswered before the connection is declared dead.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a TCP (and TLS) connect may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The channel's first wait before connecting again after a failed connect.</summary>
    public TimeSpan InitialReconnectBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The channel's longest wait before connecting again.</summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The HTTP/2 receive window each call starts with; null keeps .NET's, which grows as a download proceeds.</summary>
    public int? InitialStreamWindowSize { get; init; }
}
