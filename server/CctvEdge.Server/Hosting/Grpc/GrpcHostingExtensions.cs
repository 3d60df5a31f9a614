using CctvEdge.Protocol;
using CctvEdge.Server.Sessions;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CctvEdge.Server.Hosting.Grpc;

/// <summary>
/// The node-facing gRPC services on Grpc.AspNetCore: NodeService and ClipService, the standard health service
/// (Grpc.AspNetCore.HealthChecks) and server reflection v1 and v1alpha (Grpc.AspNetCore.Server.Reflection).
/// </summary>
internal static class GrpcHostingExtensions
{
    /// <summary>The name of the health check that turns the gRPC health status to NOT_SERVING while the server stops.</summary>
    public const string LifetimeCheck = "lifetime";

    /// <summary>gRPC with our message limits, health (SERVING once started, NOT_SERVING while stopping) and reflection.</summary>
    public static IServiceCollection AddNodeGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MessageLimits.MaxMessageBytes;
            options.MaxSendMessageSize = MessageLimits.MaxMessageBytes;
            configure?.Invoke(options);
        });
        services.AddGrpcHealthChecks().AddCheck<LifetimeHealthCheck>(LifetimeCheck);
        services.AddGrpcReflection();
        return services;
    }

    /// <summary>Maps the health and reflection services; nodes and tools reach them without a browser's cookie.</summary>
    public static IEndpointRouteBuilder MapGrpcInfrastructure(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService().AllowAnonymous();
        // Reflection lets grpcurl and similar tools describe the API; it shows only the protos, which are public.
        endpoints.MapGrpcReflectionService().AllowAnonymous();
        return endpoints;
    }

    /// <summary>NodeService and ClipService (both singletons), plus health and reflection.</summary>
    public static IEndpointRouteBuilder MapNodeGrpc(this IEndpointRouteBuilder endpoints)
    {
        // Nodes authenticate by their hello and credential, not by a browser's cookie.
        endpoints.MapGrpcService<NodeSessionService>().AllowAnonymous();
        endpoints.MapGrpcService<ClipUploadService>().AllowAnonymous();
        return endpoints.MapGrpcInfrastructure();
    }
}

/// <summary>Healthy from start until the host begins to stop, so load balancers and nodes move away in time.</summary>
internal sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The server is stopping.")
            : HealthCheckResult.Healthy());
}
