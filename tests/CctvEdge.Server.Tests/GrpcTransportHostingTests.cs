using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using CctvEdge.Protocol.V1;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CctvEdge.Server.Tests;

/// <summary>The server's gRPC port as hosted: TLS from Server:Tls and the health service.</summary>
public sealed class GrpcTransportHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetServerInfo_TlsEnabledWithGeneratedCa_NodeWithPinnedCaConnects()
    {
        await using var server = await InProcessServer.StartAsync("--Server:Tls:Enabled", "true");
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "tls", "ca.crt"));
        using var handler = new SocketsHttpHandler();
        // Only the generated CA is trusted, as a node with Server:CaCertificate trusts it (its channel is tested in CctvEdge.Grpc.Tests).
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(ca);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress, new GrpcChannelOptions { HttpHandler = handler });

        var info = await new NodeService.NodeServiceClient(channel).GetServerInfoAsync(new GetServerInfoRequest()).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal("https", server.GrpcAddress.Scheme);
        Assert.Equal(1u, info.ProtocolVersion);
    }

    [Fact]
    public async Task HealthCheck_RunningServer_Serving()
    {
        await using var server = await InProcessServer.StartAsync();

        var response = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ServerReflection_RunningServer_ListsTheNodeFacingServices()
    {
        await using var server = await InProcessServer.StartAsync();
        using var call = new ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(
            [ClipService.Descriptor.FullName, NodeService.Descriptor.FullName, Health.Descriptor.FullName, "grpc.reflection.v1.ServerReflection", ServerReflection.Descriptor.FullName],
            call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }
}
