using System.Globalization;

namespace CctvEdge.Server.Hosting.Grpc;

/// <summary>
/// TLS for the gRPC endpoint: a certificate from a file, or (when none is given) a private CA and a server certificate
/// generated on first run and kept for later runs. Clients then pin the CA (<c>ca.crt</c> in the generated folder).
/// </summary>
internal sealed class GrpcTlsOptions
{
    /// <summary>Whether the endpoint speaks TLS; off means cleartext h2c, for loopback and development.</summary>
    public bool Enabled { get; set; }

    /// <summary>A PKCS#12 (.pfx/.p12) or PEM certificate with its key; empty to use the generated one.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The password of a PKCS#12 file, or the PEM key file when the key is separate.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>The PEM private key when it is not inside <see cref="CertificatePath"/>.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>Extra DNS names or IP addresses for the generated certificate (localhost and loopback are always in).</summary>
    public IList<string> Hostnames { get; set; } = [];

    /// <summary>Days of validity for a generated server certificate; it is re-issued from the CA 30 days before it ends.</summary>
    public int GeneratedCertificateDays { get; set; } = 825;

    /// <summary>Problems with these options, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (CertificatePath.Length > 0 && !File.Exists(CertificatePath))
        {
            yield return $"{section}:CertificatePath '{CertificatePath}' does not exist.";
        }

        if (KeyPath.Length > 0 && !File.Exists(KeyPath))
        {
            yield return $"{section}:KeyPath '{KeyPath}' does not exist.";
        }

        if (KeyPath.Length > 0 && CertificatePath.Length == 0)
        {
            yield return $"{section}:KeyPath is set but {section}:CertificatePath is not.";
        }

        if (GeneratedCertificateDays is < 31 or > 3650)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{section}:GeneratedCertificateDays must be between 31 and 3650 (was {GeneratedCertificateDays}).");
        }

        foreach (var name in Hostnames.Where(n => Uri.CheckHostName(n) == UriHostNameType.Unknown))
        {
            yield return $"{section}:Hostnames entry '{name}' is neither a DNS name nor an IP address.";
        }
    }
}
