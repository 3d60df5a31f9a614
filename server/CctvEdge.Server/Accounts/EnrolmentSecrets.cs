using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// The secrets of enrolment. A code is what an installer types on a Pi: 16 characters of Crockford's base32 (80
/// bits, no I, L, O or U to misread), shown in groups of four, valid once and for hours. A credential is what the
/// node keeps afterwards: <c>cen_</c> and 32 random bytes in base64url. The server keeps only their SHA-256.
/// </summary>
internal static class EnrolmentSecrets
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int CodeLength = 16;
    private const string CredentialPrefix = "cen_";

    public static string NewCode()
    {
        var code = RandomNumberGenerator.GetString(Alphabet, CodeLength);
        return string.Join('-', code.Chunk(4).Select(group => new string(group)));
    }

    /// <summary>
    /// The hash of a code as typed: dashes and spaces dropped, case ignored, and O, I and L read as the digits they
    /// look like (as Crockford's base32 does); null when it cannot be a code at all.
    /// </summary>
    public static byte[]? HashCode(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 64)
        {
            return null;
        }

        var normal = new StringBuilder(CodeLength);
        foreach (var c in typed.ToUpperInvariant())
        {
            switch (c)
            {
                case '-' or ' ':
                    continue;
                case 'O':
                    normal.Append('0');
                    break;
                case 'I' or 'L':
                    normal.Append('1');
                    break;
                case var other when Alphabet.Contains(other, StringComparison.Ordinal):
                    normal.Append(other);
                    break;
                default:
                    return null;
            }
        }

        return normal.Length == CodeLength ? SHA256.HashData(Encoding.ASCII.GetBytes(normal.ToString())) : null;
    }

    public static string NewCredential() => CredentialPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] HashCredential(string credential) => SHA256.HashData(Encoding.UTF8.GetBytes(credential));

    public static bool CredentialMatches(byte[] storedHash, string credential) =>
        CryptographicOperations.FixedTimeEquals(storedHash, HashCredential(credential));
}
