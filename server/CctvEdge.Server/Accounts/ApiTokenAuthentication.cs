using System.Security.Claims;
using System.Text.Encodings.Web;
using CctvEdge.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// <c>Authorization: Bearer cev_...</c> on any request: the token's owner, with the token's scopes cut down to what
/// the owner's role allows today (a demoted owner's admin token reads only). Unknown, revoked or expired tokens and
/// deleted owners fail; the answer is 401 like any missing sign-in.
/// </summary>
internal sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenStore tokens,
    UserStore users,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The claim naming the token a call came with ("#id name"), for the audit log.</summary>
    public const string TokenClaim = "token";

    /// <summary>Whether a request carries a bearer token, so the default scheme sends it here instead of to the cookie.</summary>
    public static bool Carries(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Carries(Request))
        {
            return AuthenticateResult.NoResult();
        }

        if (ApiTokens.Parse(Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim()) is not { } parsed)
        {
            return AuthenticateResult.Fail("Not a CctvEdge API token.");
        }

        var (id, secret) = parsed;
        var token = await tokens.FindAsync(id, Context.RequestAborted).ConfigureAwait(false);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (token is null || !ApiTokens.Matches(token.SecretHash, secret) || token.RevokedMs is not null || token.ExpiresMs <= now)
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired token.");
        }

        if (await users.FindAsync(token.Owner, Context.RequestAborted).ConfigureAwait(false) is not { } owner)
        {
            return AuthenticateResult.Fail("The token's owner no longer exists.");
        }

        await tokens.TouchAsync(token, Context.RequestAborted).ConfigureAwait(false);
        var allowed = ApiScopes.AllowedFor(owner.Role);
        var claims = new List<Claim> { new(ClaimTypes.Name, owner.Name), new(TokenClaim, $"#{token.Id} {token.Name}") };
        claims.AddRange(ApiScopes.Expand(token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(allowed.Contains).Select(s => new Claim(ApiScopes.Claim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
