using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Accounts;

/// <summary>The tokens page's service, on the REST API's paths (<see cref="TokenApi"/>); creations and revocations are audited.</summary>
internal sealed class TokenAdmin(TokenStore tokens, AuditStore audit, CurrentUser current, TimeProvider clock) : ITokenAdmin
{
    public async Task<IReadOnlyList<TokenEntry>> ListAsync(CancellationToken cancellationToken) =>
        await TokenApi.ListAsync(await SignedInAsync().ConfigureAwait(false), tokens, cancellationToken).ConfigureAwait(false);

    public async Task<(string? Token, string? Problem)> CreateAsync(string name, IReadOnlyList<string> scopes, int days, CancellationToken cancellationToken)
    {
        var user = await SignedInAsync().ConfigureAwait(false);
        var (created, errors) = await TokenApi.IssueAsync(new TokenRequest(name, scopes, days), user, tokens, clock, cancellationToken).ConfigureAwait(false);
        if (created is null)
        {
            return (null, errors.Summary);
        }

        await audit.PageChangeAsync(user.Identity!.Name!, "create API token", $"token #{created.Id} {created.Name} ({string.Join(' ', created.Scopes)})", "created").ConfigureAwait(false);
        return (created.Token, null);
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        var user = await SignedInAsync().ConfigureAwait(false);
        var revoked = await TokenApi.RevokeAsync(id, user, tokens, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(user.Identity!.Name!, "revoke API token", $"token #{id}", revoked ? "revoked" : "not found").ConfigureAwait(false);
        return revoked;
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> SignedInAsync()
    {
        var user = await current.GetAsync().ConfigureAwait(false);
        return user.Identity?.IsAuthenticated == true ? user : throw new UnauthorizedAccessException("Sign in first.");
    }
}
