using CctvEdge.Grpc.AspNetCore;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace CctvEdge.Grpc.Reflection;

/// <summary>Maps <c>grpc.reflection.v1alpha.ServerReflection</c>.</summary>
public static class GrpcReflectionExtensions
{
    /// <summary>
    /// Maps server reflection for <paramref name="services"/> (each generated service class has a
    /// <c>Descriptor</c>). Unlike Grpc.AspNetCore.Server.Reflection the services are named, not discovered: a
    /// <see cref="ServerServiceDefinition"/> carries no descriptor.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints, params ServiceDescriptor[] services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGrpcService(ServerReflection.BindService(new ReflectionServiceImpl(services)));
    }
}
