using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CctvEdge.Node.Uplink;

/// <summary>Certificate validation against one pinned CA, for servers with a private CA the system store does not hold.</summary>
internal static class CaPinning
{
    public static bool IsTrusted(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        // The system store's verdict on the chain is moot here; a missing certificate or a wrong host name is not.
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private CA publishes no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (certificate is X509Certificate2 leaf)
        {
            return chain.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(copy);
    }
}
