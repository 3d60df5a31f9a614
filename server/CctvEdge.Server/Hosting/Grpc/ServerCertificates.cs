using System.Security.Cryptography.X509Certificates;

namespace CctvEdge.Server.Hosting.Grpc;

/// <summary>Finds the server's TLS certificate: the configured file, or the generated CA-signed one.</summary>
internal static class ServerCertificates
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";

    /// <summary>A generated certificate is re-issued when it has less than this left.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <param name="sharedHostnames">Names the generated certificate covers besides the options' own: both ports share
    /// one generated certificate, so each asks for the names of both, or they would re-issue it in turn.</param>
    public static X509Certificate2 Load(GrpcTlsOptions options, string generatedDirectory, IEnumerable<string>? sharedHostnames = null) =>
        options.CertificatePath.Length > 0 ? LoadFile(options) : LoadOrCreate(generatedDirectory, options, sharedHostnames ?? []);

    private static X509Certificate2 LoadFile(GrpcTlsOptions options)
    {
        var path = options.CertificatePath;
        var password = options.CertificatePassword.Length > 0 ? options.CertificatePassword : null;
        if (Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        var keyPath = options.KeyPath.Length > 0 ? options.KeyPath : path;
        using var pem = password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        return Persisted(pem);
    }

    private static X509Certificate2 LoadOrCreate(string directory, GrpcTlsOptions options, IEnumerable<string> sharedHostnames)
    {
        Directory.CreateDirectory(directory);
        var names = new[] { "localhost", "127.0.0.1", "::1", Environment.MachineName }.Concat(options.Hostnames).Concat(sharedHostnames).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var caPath = Path.Combine(directory, CaCertificateFile);
        var caKeyPath = Path.Combine(directory, CaKeyFile);
        using var ca = File.Exists(caPath) && File.Exists(caKeyPath)
            ? X509Certificate2.CreateFromPemFile(caPath, caKeyPath)
            : CreateCa(caPath, caKeyPath);

        var serverPath = Path.Combine(directory, ServerCertificateFile);
        var serverKeyPath = Path.Combine(directory, ServerKeyFile);
        if (File.Exists(serverPath) && File.Exists(serverKeyPath))
        {
            using var existing = X509Certificate2.CreateFromPemFile(serverPath, serverKeyPath);
            if (existing.NotAfter.ToUniversalTime() - DateTime.UtcNow > RenewBefore
                && existing.Issuer == ca.Subject
                && CertificateFactory.Covers(existing, names))
            {
                return Persisted(existing);
            }
        }

        using var server = CertificateFactory.CreateServer(ca, names, DateTimeOffset.UtcNow.AddDays(options.GeneratedCertificateDays));
        CertificateFactory.WritePem(server, serverPath, serverKeyPath);
        return Persisted(server);
    }

    private static X509Certificate2 CreateCa(string caPath, string caKeyPath)
    {
        var ca = CertificateFactory.CreateCa("CctvEdge private CA " + Environment.MachineName, DateTimeOffset.UtcNow.AddYears(20));
        CertificateFactory.WritePem(ca, caPath, caKeyPath);
        return ca;
    }

    /// <summary>A PKCS#12 round trip: SslStream wants a key it can use for the process's lifetime, not an ephemeral PEM one.</summary>
    private static X509Certificate2 Persisted(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
