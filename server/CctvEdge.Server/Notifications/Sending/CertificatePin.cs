using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Which server certificates a channel accepts: one the system trusts, or exactly the one whose SHA-256 the channel
/// pins (<c>certificateSha256</c>), as a farm's own mail relay or MQTT broker often has a self-signed one.
/// </summary>
internal static class CertificatePin
{
    public static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, string? pinnedSha256) =>
        errors == SslPolicyErrors.None
        || (pinnedSha256 is not null && certificate is not null
            && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(pinnedSha256), SHA256.HashData(certificate.GetRawCertData())));
}
