using System.Net;

namespace CctvEdge.Node;

/// <summary>
/// Where one of the node's own HTTP endpoints listens (metrics, push cameras, microcontroller boards): a port, 0 for
/// off, and a bind address. They use HttpListener, in the base runtime: the node needs no ASP.NET Core on a Pi.
/// </summary>
internal abstract class LocalEndpointOptions
{
    /// <summary>The endpoint's port; 0 (the default) serves nothing.</summary>
    public int Port { get; set; }

    /// <summary>The address it listens on (each section says its default and why).</summary>
    public abstract string BindAddress { get; set; }

    /// <summary>The host of the HttpListener prefix: its wildcard for "any address", brackets around IPv6, the address itself otherwise.</summary>
    public string ListenerHost =>
        BindAddress is "0.0.0.0" or "::" ? "+" : BindAddress.Contains(':', StringComparison.Ordinal) ? $"[{BindAddress}]" : BindAddress;

    /// <summary>Adds the errors of <see cref="Port"/> and <see cref="BindAddress"/>, named under <paramref name="section"/>.</summary>
    public void ValidateListener(string section, List<string> errors)
    {
        if (Port is < 0 or > 65535)
        {
            errors.Add($"{section}:Port must be 0 (off) or a port from 1 to 65535 (was {Port}).");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"{section}:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{BindAddress}').");
        }
    }
}
