using System.Net;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Hosting;

/// <summary>
/// The <c>Web</c> section's reverse-proxy keys: which proxies in front of the web port may tell the server who the
/// client is (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>). None by default, so the headers are ignored: anyone
/// could send them, and a trusted spoofed address would dodge the sign-in lock and lie in the audit log.
/// </summary>
internal sealed class ReverseProxyOptions
{
    public const string Section = "Web";

    /// <summary>Proxies trusted by address, e.g. 127.0.0.1 for an nginx on the same box.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxies trusted by network (CIDR), e.g. 10.1.0.0/24 for a pool of load balancers.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IReadOnlyList<IPAddress> ParsedProxies => KnownProxies.Select(p => IPAddress.Parse(p.Trim())).ToList();

    public IReadOnlyList<IPNetwork> ParsedNetworks => KnownNetworks.Select(n => IPNetwork.Parse(n.Trim())).ToList();
}

internal sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i].Trim(), out _))
            {
                errors.Add($"Web:KnownProxies:{i}: '{options.KnownProxies[i]}' is not an IP address, such as 127.0.0.1 or ::1.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i].Trim(), out _))
            {
                errors.Add($"Web:KnownNetworks:{i}: '{options.KnownNetworks[i]}' is not a network in CIDR notation, such as 10.0.0.0/8 or 192.168.1.0/24.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
