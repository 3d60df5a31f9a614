using System.Net;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Metrics;

/// <summary>The <c>Metrics</c> section: who may scrape <c>/metrics</c> without signing in.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    private static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>
    /// Networks (CIDR) whose scrapers need no token; none listed means loopback only, so a Prometheus on the same
    /// box just works. (Listed networks replace loopback: the binder would append to a non-empty default.) Anyone
    /// else sends <c>Authorization: Bearer</c> with an API token (any scope), as Prometheus's <c>authorization</c>
    /// block does.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> ParsedNetworks => AllowedNetworks.Count == 0 ? Loopback : AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToList();
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var bad = options.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(bad.Select(n => $"Metrics:AllowedNetworks: '{n}' is not a network in CIDR notation, such as 10.0.0.0/8 or 127.0.0.1/32."));
    }
}
