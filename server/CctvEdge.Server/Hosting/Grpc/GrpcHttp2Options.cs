using System.Globalization;

namespace CctvEdge.Server.Hosting.Grpc;

/// <summary>
/// Kestrel's HTTP/2 settings for gRPC: keepalive pings that find dead peers (a 4G link that vanished) long before
/// TCP would, and receive windows sized for uploads over slow, high-latency links.
/// </summary>
internal sealed class GrpcHttp2Options
{
    /// <summary>Idle time before the server PINGs a connection; 0 turns pings off.</summary>
    public double KeepAlivePingDelaySeconds { get; set; } = 30;

    /// <summary>How long a PING may go unanswered before the connection is closed.</summary>
    public double KeepAlivePingTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Per-stream receive window in bytes. One upload's speed is capped near window / round-trip time: Kestrel's
    /// 768 KiB default allows ~2.5 MiB/s at 300 ms (a loaded 4G link); 4 MiB allows ~13 MiB/s.
    /// </summary>
    public int InitialStreamWindowSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Per-connection receive window in bytes: what one peer may have in flight over all its streams.</summary>
    public int InitialConnectionWindowSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Concurrent calls one connection may open; more wait (clients open further connections).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Problems with these options, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Validate(string section)
    {
        const int MinWindow = 65_535;
        const int MaxWindow = int.MaxValue;
        if (KeepAlivePingDelaySeconds is < 0 or > 86_400)
        {
            yield return Invariant($"{section}:KeepAlivePingDelaySeconds must be between 0 (off) and 86400 (was {KeepAlivePingDelaySeconds}).");
        }

        if (KeepAlivePingTimeoutSeconds is < 1 or > 3600)
        {
            yield return Invariant($"{section}:KeepAlivePingTimeoutSeconds must be between 1 and 3600 (was {KeepAlivePingTimeoutSeconds}).");
        }

        if (InitialStreamWindowSize is < MinWindow or > MaxWindow)
        {
            yield return Invariant($"{section}:InitialStreamWindowSize must be between {MinWindow} and {MaxWindow} bytes (was {InitialStreamWindowSize}).");
        }

        if (InitialConnectionWindowSize < InitialStreamWindowSize)
        {
            yield return Invariant($"{section}:InitialConnectionWindowSize ({InitialConnectionWindowSize}) must be at least {section}:InitialStreamWindowSize ({InitialStreamWindowSize}).");
        }

        if (MaxStreamsPerConnection is < 1 or > 10_000)
        {
            yield return Invariant($"{section}:MaxStreamsPerConnection must be between 1 and 10000 (was {MaxStreamsPerConnection}).");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
