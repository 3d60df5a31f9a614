using CctvEdge.Grpc.AspNetCore;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Grpc.HealthCheck;

/// <summary>Registers and maps <c>grpc.health.v1.Health</c>.</summary>
public static class GrpcHealthChecksExtensions
{
    /// <summary>Adds the <see cref="HealthServiceImpl"/> singleton; set statuses on it from anywhere.</summary>
    public static IServiceCollection AddGrpcHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<HealthServiceImpl>();
        return services;
    }

    /// <summary>
    /// Maps the health service. The whole server ("") reports SERVING once the host has started and NOT_SERVING
    /// from the moment it begins to stop, which also ends open Watch calls so shutdown does not wait on them.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthChecksService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthServiceImpl>();
        var lifetime = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving));
        lifetime.ApplicationStopping.Register(health.Shutdown);
        return endpoints.MapGrpcService(Health.BindService(health));
    }
}
