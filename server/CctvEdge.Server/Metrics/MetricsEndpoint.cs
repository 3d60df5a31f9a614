using CctvEdge.Plugins.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CctvEdge.Server.Metrics;

/// <summary>
/// OpenTelemetry metrics with a Prometheus scrape endpoint at <c>/metrics</c> on the web port: the server's own meter,
/// the plugin lifecycle's (processors), ASP.NET Core's HTTP and gRPC request durations, Kestrel's connections and the
/// .NET runtime's. Open to <c>Metrics:AllowedNetworks</c>, else an API token or a signed-in user.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Policy = "metrics";

    public static IServiceCollection AddServerMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("cctvedge-server")).WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName, PluginMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http
                && http.Connection.RemoteIpAddress is { } remote
                && http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.ParsedNetworks.Any(n => n.Contains(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)))));
        return services;
    }

    public static IEndpointRouteBuilder MapServerMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Created now, so the gauges are there from the first scrape rather than from the first node's session.
        endpoints.ServiceProvider.GetRequiredService<ServerMetrics>();
        endpoints.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policy);
        return endpoints;
    }
}
