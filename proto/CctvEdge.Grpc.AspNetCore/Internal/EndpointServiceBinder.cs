using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Grpc.AspNetCore.Internal;

/// <summary>Turns each bound method into an endpoint that runs a <see cref="ServerCallHandler{TRequest,TResponse}"/>.</summary>
internal sealed class EndpointServiceBinder(IEndpointRouteBuilder endpoints) : ServiceBinderBase
{
    public CompositeConventionBuilder Conventions { get; } = new();

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler) =>
        Map(method, new ServerCallHandler<TRequest, TResponse>(method, (request, _, _, ctx) => InvokeUnary(handler, request, ctx)));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler) =>
        Map(method, new ServerCallHandler<TRequest, TResponse>(method, (_, reader, _, ctx) => InvokeUnaryResponse(handler(reader!, ctx))));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler) =>
        Map(method, new ServerCallHandler<TRequest, TResponse>(method, async (request, _, writer, ctx) =>
        {
            await handler(request!, writer, ctx).ConfigureAwait(false);
            return default;
        }));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler) =>
        Map(method, new ServerCallHandler<TRequest, TResponse>(method, async (_, reader, writer, ctx) =>
        {
            await handler(reader!, writer, ctx).ConfigureAwait(false);
            return default;
        }));

    private static async Task<(bool, TResponse?)> InvokeUnary<TRequest, TResponse>(UnaryServerMethod<TRequest, TResponse> handler, TRequest? request, ServerCallContext ctx) =>
        (true, await handler(request!, ctx).ConfigureAwait(false));

    private static async Task<(bool, TResponse?)> InvokeUnaryResponse<TResponse>(Task<TResponse> response) =>
        (true, await response.ConfigureAwait(false));

    private void Map<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallHandler<TRequest, TResponse> handler)
    {
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<GrpcServerOptions>>()?.Value ?? new GrpcServerOptions();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CctvEdge.Grpc.Server");
        handler.Initialize(options, logger);
        Conventions.Add(endpoints.MapPost(method.FullName, (RequestDelegate)handler.HandleCallAsync)
            .WithDisplayName("gRPC - " + method.FullName));
    }
}

/// <summary>Applies conventions (host filters, authorization) to every endpoint of a service at once.</summary>
internal sealed class CompositeConventionBuilder : IEndpointConventionBuilder
{
    private readonly List<IEndpointConventionBuilder> _builders = [];

    public void Add(IEndpointConventionBuilder builder) => _builders.Add(builder);

    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in _builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in _builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
