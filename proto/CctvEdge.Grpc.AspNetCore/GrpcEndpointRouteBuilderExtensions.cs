using CctvEdge.Grpc.AspNetCore.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Grpc.AspNetCore;

/// <summary>Registers and maps gRPC services on an ASP.NET Core host.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Adds the gRPC transport's services and options.</summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Maps every method of <paramref name="service"/> as POST /service/method, plus a catch-all that answers
    /// UNIMPLEMENTED for gRPC requests to unknown methods.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, ServerServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        var binder = new EndpointServiceBinder(endpoints);
        service.BindService(binder);
        // One catch-all per host: a second identical route would make every unknown method ambiguous (HTTP 500).
        if (UnimplementedMapped.TryAdd(endpoints, new object()))
        {
            binder.Conventions.Add(MapUnimplemented(endpoints));
        }

        return binder.Conventions;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IEndpointRouteBuilder, object> UnimplementedMapped = [];

    private static IEndpointConventionBuilder MapUnimplemented(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/{unimplementedService}/{unimplementedMethod}", UnimplementedCallHandler.HandleAsync)
            .WithDisplayName("gRPC - unimplemented method")
            .WithOrder(int.MaxValue);
}
