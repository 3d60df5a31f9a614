using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;

namespace CctvEdge.Server.Tests;

/// <summary>HTTPS on the web port with the generated CA's certificate (Server:WebTls), and Secure sign-in cookies.</summary>
public sealed class WebTlsTests
{
    [Fact]
    public async Task WebTls_GeneratedCertificate_ServesHttpsAndHttp2_CookieIsSecure_PlainHttpRefused()
    {
        await using var server = await InProcessServer.StartFirstRunAsync("--Server:WebTls:Enabled", "true", "--Server:WebTls:Hostnames:0", "cameras.farm.example");
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "tls", "ca.crt"));
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            SslOptions = { CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck } },
        };
        using var browser = new HttpClient(handler) { BaseAddress = server.WebAddress, DefaultRequestVersion = HttpVersion.Version20 };

        using var health = await browser.GetAsync("/healthz");
        using var setup = await browser.PostAsJsonAsync("/api/auth/setup", new { name = "admin", password = "admin-password-1" });
        using var plain = new HttpClient();
        var cleartext = await Record.ExceptionAsync(() => plain.GetAsync(new UriBuilder(server.WebAddress) { Scheme = "http" }.Uri));
        using var served = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "tls", "server.crt"));

        Assert.Equal("https", server.WebAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpVersion.Version20, health.Version);
        Assert.True(setup.IsSuccessStatusCode);
        Assert.Contains(setup.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cctvedge.auth=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(cleartext);
        Assert.Contains("cameras.farm.example", served.GetNameInfo(X509NameType.DnsName, false) + " " + string.Join(" ", served.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebTls_CertificateFileMissing_ServerRefusesToStartNamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            InProcessServer.StartFirstRunAsync("--Server:WebTls:Enabled", "true", "--Server:WebTls:CertificatePath", "/nonexistent/web.pfx"));

        Assert.Contains("Server:WebTls:CertificatePath '/nonexistent/web.pfx' does not exist", failure.Message, StringComparison.Ordinal);
    }
}
