using System.Net;

namespace CctvEdge.Node.Metrics;

/// <summary>The node's <c>Metrics</c> section: a Prometheus scrape endpoint on a port of its own.</summary>
internal sealed class NodeMetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>The port of <c>http://BindAddress:Port/metrics</c>; 0 (the default) serves no metrics.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Where the endpoint listens: loopback by default, so only the box itself (a local Prometheus agent or node
    /// exporter's textfile job) can read it; 0.0.0.0 for every interface, behind the site's own firewall.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The host of the HttpListener prefix.</summary>
    public string ListenerHost => Node.ListenerHost.For(BindAddress);
}

internal sealed class NodeMetricsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<NodeMetricsOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, NodeMetricsOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Metrics:Port must be 0 (no metrics) or a port from 1 to 65535 (was {options.Port}).");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Metrics:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{options.BindAddress}').");
        }

        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
