using CctvEdge.Node.Uplink;
using CctvEdge.Server.Hosting.Grpc;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Grpc.Tests;

/// <summary>How a <see cref="TestServer"/> is set up beyond its service.</summary>
internal sealed record TestServerSetup
{
    public Action<GrpcServiceOptions>? Grpc { get; init; }

    public GrpcTlsOptions Tls { get; init; } = new();

    public string CertificateDirectory { get; init; } = "";

    public GrpcHttp2Options Http2 { get; init; } = new();

    /// <summary>Maps the health and reflection services as the server does.</summary>
    public bool Health { get; init; }

    /// <summary>0 picks a free port; a test that restarts a server passes the port it had.</summary>
    public int Port { get; init; }
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 (ephemeral port unless told), h2c or TLS, set up by the server's own gRPC
/// hosting code (Kestrel HTTP/2 limits, TLS, message limits, health, reflection), serving the echo service.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = Channels.Create(address);
    }

    public Uri Address { get; }

    /// <summary>A channel configured as the node's uplink is.</summary>
    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestServer> StartAsync(EchoHandlers service, Action<GrpcServiceOptions>? configure = null) =>
        StartAsync(service, new TestServerSetup { Grpc = configure });

    public static async Task<TestServer> StartAsync(EchoHandlers service, TestServerSetup setup)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureGrpcHttp2(setup.Http2);
            k.Listen(System.Net.IPAddress.Loopback, setup.Port, o => o.UseGrpcTransport(setup.Tls, setup.CertificateDirectory));
        });
        builder.Services.AddRouting();
        builder.Services.AddNodeGrpc(setup.Grpc);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton<IServiceMethodProvider<EchoHandlers>, EchoMethodProvider>();

        var app = builder.Build();
        app.MapGrpcService<EchoHandlers>();
        if (setup.Health)
        {
            app.MapGrpcInfrastructure();
        }

        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = new Uri(app.Urls.First());
        return new TestServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}

/// <summary>Client channels made by the node's own <see cref="UplinkChannel"/>.</summary>
internal static class Channels
{
    public static GrpcChannel Create(Uri address, System.Security.Cryptography.X509Certificates.X509Certificate2? pinnedCa = null, UplinkChannelSettings? settings = null) =>
        UplinkChannel.Create(address.ToString(), pinnedCa, settings);
}
