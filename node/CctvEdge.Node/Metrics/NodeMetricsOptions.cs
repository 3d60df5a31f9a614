namespace CctvEdge.Node.Metrics;

/// <summary>The node's <c>Metrics</c> section: a Prometheus scrape endpoint on a port of its own.</summary>
internal sealed class NodeMetricsOptions : LocalEndpointOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Where the endpoint listens: loopback by default, so only the box itself (a local Prometheus agent or node
    /// exporter's textfile job) can read it; 0.0.0.0 for every interface, behind the site's own firewall.
    /// </summary>
    public override string BindAddress { get; set; } = "127.0.0.1";
}

internal sealed class NodeMetricsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<NodeMetricsOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, NodeMetricsOptions options)
    {
        var errors = new List<string>();
        options.ValidateListener(NodeMetricsOptions.Section, errors);

        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
