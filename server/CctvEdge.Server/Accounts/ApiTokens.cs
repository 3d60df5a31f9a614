using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// The token format: <c>cev_{id}_{secret}</c>, the secret 32 random bytes in base64url. The id finds the row; the
/// SHA-256 of the secret, compared in constant time, proves it. The prefix lets secret scanners and people spot one.
/// </summary>
internal static class ApiTokens
{
    private const string Prefix = "cev_";

    /// <summary>The token a caller sends, from its row id and secret.</summary>
    public static string Format(long id, string secret) => Prefix + id.ToString(CultureInfo.InvariantCulture) + "_" + secret;

    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The id and secret of a well-formed token; null for anything else.</summary>
    public static (long Id, string Secret)? Parse(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = token.AsSpan(Prefix.Length);
        var underscore = rest.IndexOf('_');
        return underscore > 0
            && long.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && rest.Length - underscore - 1 is > 0 and <= 64
            ? (id, rest[(underscore + 1)..].ToString())
            : null;
    }

    public static bool Matches(byte[] storedHash, string secret) => CryptographicOperations.FixedTimeEquals(storedHash, Hash(secret));
}
