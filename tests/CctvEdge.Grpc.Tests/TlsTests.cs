using System.Security.Cryptography.X509Certificates;
using CctvEdge.Server.Hosting.Grpc;
using Grpc.Net.Client;

namespace CctvEdge.Grpc.Tests;

public sealed class TlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly StatusCode[] ConnectFailures = [StatusCode.Unavailable, StatusCode.Internal];
    private readonly string _directory = Directory.CreateTempSubdirectory("cctvedge-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task UnaryCall_GeneratedCertificateAndPinnedCa_Succeeds()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), Generated());
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, "ca.crt"));
        using var channel = Channels.Create(server.Address, ca);

        Assert.Equal("https", server.Address.Scheme);
        Assert.Equal("secret", await channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "secret").ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task UnaryCall_PrivateCaNotPinned_FailsAsRejectedCertificate()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), Generated());
        using var channel = Channels.Create(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "x").ResponseAsync.WaitAsync(Timeout));

        // Grpc.Net.Client reports a failed handshake as INTERNAL (UNAVAILABLE in gRPC's spec); the node retries either.
        Assert.Contains(ex.StatusCode, ConnectFailures);
        Assert.Contains("remote certificate", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryCall_PinnedCaIsAnotherCa_FailsAsRejectedCertificate()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), Generated());
        using var stranger = CertificateFactory.CreateCa("stranger", DateTimeOffset.UtcNow.AddDays(5));
        using var channel = Channels.Create(server.Address, stranger);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "x").ResponseAsync.WaitAsync(Timeout));

        // Grpc.Net.Client reports a failed handshake as INTERNAL (UNAVAILABLE in gRPC's spec); the node retries either.
        Assert.Contains(ex.StatusCode, ConnectFailures);
        Assert.Contains("remote certificate", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SecondRun_ReusesGeneratedCaAndServerCertificate()
    {
        await (await TestServer.StartAsync(EchoService.Create(), Generated())).DisposeAsync();
        var ca = await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt"));
        var serverCertificate = await File.ReadAllTextAsync(Path.Combine(_directory, "server.crt"));

        await (await TestServer.StartAsync(EchoService.Create(), Generated())).DisposeAsync();

        Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt")));
        Assert.Equal(serverCertificate, await File.ReadAllTextAsync(Path.Combine(_directory, "server.crt")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "ca.key")));
        }
    }

    [Fact]
    public async Task StartAsync_NewHostname_ReissuesServerCertificateFromSameCa()
    {
        await (await TestServer.StartAsync(EchoService.Create(), Generated())).DisposeAsync();
        var ca = await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt"));

        await (await TestServer.StartAsync(EchoService.Create(), Generated("cctv.farm.example"))).DisposeAsync();

        Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt")));
        using var reissued = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, "server.crt"));
        Assert.True(CertificateFactory.Covers(reissued, ["cctv.farm.example", "127.0.0.1"]));
    }

    [Fact]
    public async Task UnaryCall_CertificateFromPasswordProtectedPfx_Succeeds()
    {
        using var ca = CertificateFactory.CreateCa("test CA", DateTimeOffset.UtcNow.AddDays(5));
        using var certificate = CertificateFactory.CreateServer(ca, ["127.0.0.1"], DateTimeOffset.UtcNow.AddDays(2));
        var pfx = Path.Combine(_directory, "server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "p@ss"));
        var tls = new GrpcTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePassword = "p@ss" };
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Tls = tls });
        using var channel = Channels.Create(server.Address, ca);

        Assert.Equal("pfx", await channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "pfx").ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public void Validate_MissingCertificateAndBadHostname_MessagesNameTheKeys()
    {
        var options = new GrpcTlsOptions { Enabled = true, CertificatePath = "/nonexistent/server.pfx", Hostnames = ["bad host!"] };

        var errors = options.Validate("Server:Tls").ToList();

        Assert.Contains(errors, e => e.StartsWith("Server:Tls:CertificatePath '/nonexistent/server.pfx'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Server:Tls:Hostnames entry 'bad host!'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Disabled_NoErrorsWhateverTheRest()
    {
        var options = new GrpcTlsOptions { Enabled = false, CertificatePath = "/nonexistent" };

        Assert.Empty(options.Validate("Server:Tls"));
    }

    private TestServerSetup Generated(params string[] hostnames) =>
        new() { Tls = new GrpcTlsOptions { Enabled = true, Hostnames = hostnames }, CertificateDirectory = _directory };
}
