using CctvEdge.Grpc.AspNetCore;
using CctvEdge.Grpc.Client;
using CctvEdge.Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Grpc.Tests;

/// <summary>How a <see cref="TestServer"/> is set up beyond its service.</summary>
internal sealed record TestServerSetup
{
    public Action<GrpcServerOptions>? Grpc { get; init; }

    public GrpcTlsOptions Tls { get; init; } = new();

    public string CertificateDirectory { get; init; } = "";

    public GrpcHttp2Options Http2 { get; init; } = new();

    public bool Health { get; init; }

    /// <summary>0 picks a free port; a test that restarts a server passes the port it had.</summary>
    public int Port { get; init; }
}

/// <summary>A real Kestrel server on 127.0.0.1 (ephemeral port unless told), h2c or TLS, for one test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestServer> StartAsync(ServerServiceDefinition service, Action<GrpcServerOptions>? configure = null) =>
        StartAsync(service, new TestServerSetup { Grpc = configure });

    public static async Task<TestServer> StartAsync(ServerServiceDefinition service, TestServerSetup setup)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureGrpcHttp2(setup.Http2);
            k.Listen(System.Net.IPAddress.Loopback, setup.Port, o => o.UseGrpcTransport(setup.Tls, setup.CertificateDirectory));
        });
        builder.Services.AddRouting();
        builder.Services.AddGrpcTransport(setup.Grpc);
        if (setup.Health)
        {
            builder.Services.AddGrpcHealthChecks();
        }

        var app = builder.Build();
        app.MapGrpcService(service);
        if (setup.Health)
        {
            app.MapGrpcHealthChecksService();
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
