using CctvEdge.Server.Hosting.Grpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CctvEdge.Grpc.Interop;

/// <summary>Hosts <see cref="TestServiceImpl"/>, health and server reflection on 127.0.0.1, h2c or TLS, as the server hosts its own services.</summary>
internal static class InteropServer
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var tls = new GrpcTlsOptions
        {
            Enabled = options.ContainsKey("cert"),
            CertificatePath = options.GetValueOrDefault("cert", ""),
            KeyPath = options.GetValueOrDefault("key", ""),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureGrpcHttp2(new GrpcHttp2Options());
            k.Listen(System.Net.IPAddress.Loopback, int.Parse(options.GetValueOrDefault("port", "0"), System.Globalization.CultureInfo.InvariantCulture), l => l.UseGrpcTransport(tls, ""));
        });
        builder.Services.AddRouting();
        builder.Services.AddNodeGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>();
        app.MapGrpcInfrastructure();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Console.WriteLine($"LISTENING {address.Port}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
