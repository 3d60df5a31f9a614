using System.Security.Claims;
using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Accounts;

/// <summary>What a signed-in user posts to create a token.</summary>
internal sealed record TokenRequest(string? Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

/// <summary>The created token: the only time its secret is shown.</summary>
internal sealed record CreatedToken(long Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? Expires, string Token);

/// <summary>
/// API tokens, managed by signed-in users (a token cannot mint or revoke tokens): create with scopes and an expiry,
/// list, revoke. A user sees and revokes their own; an admin, everyone's.
/// </summary>
internal static class TokenApi
{
    private const int DefaultDays = 90;
    private const int MaxDays = 3650;

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder endpoints)
    {
        var tokens = endpoints.MapGroup("/api/tokens").AddEndpointFilter(async (context, next) =>
            context.HttpContext.User.Identity?.AuthenticationType == ApiTokenAuthentication.SchemeName
                ? TypedResults.Problem("Tokens are managed by a signed-in user, not by a token.", statusCode: StatusCodes.Status403Forbidden)
                : await next(context).ConfigureAwait(false));
        tokens.MapPost("", async (TokenRequest request, ClaimsPrincipal user, TokenStore store, TimeProvider clock, CancellationToken ct) =>
            await IssueAsync(request, user, store, clock, ct) switch
            {
                ({ } created, _) => TypedResults.Created($"/api/tokens/{created.Id}", created),
                (_, var errors) => errors.Problem(),
            }).WithSummary("Create an API token; its secret is in this answer only.").ProducesValidationProblem();
        tokens.MapGet("", ListAsync).WithSummary("List API tokens (an admin sees everyone's).");
        tokens.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, ClaimsPrincipal user, TokenStore store, CancellationToken ct) =>
            await RevokeAsync(id, user, store, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithSummary("Revoke an API token.");
        return endpoints;
    }

    /// <summary>The tokens <paramref name="user"/> may see: their own, or everyone's for an admin. The API's and the tokens page's path.</summary>
    public static async Task<IReadOnlyList<TokenEntry>> ListAsync(ClaimsPrincipal user, TokenStore store, CancellationToken ct) =>
        (await store.ListAsync(user.IsInRole(Roles.Admin) ? null : user.Identity!.Name, ct).ConfigureAwait(false)).Select(Entry).ToList();

    /// <summary>Creates a token for <paramref name="user"/>, or says which fields are wrong. The API's and the tokens page's path.</summary>
    public static async Task<(CreatedToken? Created, QueryErrors Errors)> IssueAsync(TokenRequest request, ClaimsPrincipal user, TokenStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors.Add("name", "must be 1 to 100 characters.");
        }

        var role = user.IsInRole(Roles.Admin) ? Roles.Admin : Roles.Viewer;
        var scopes = request.Scopes ?? [];
        if (scopes.Count == 0)
        {
            errors.Add("scopes", $"must name at least one of {string.Join(", ", ApiScopes.All)}.");
        }
        else if (scopes.FirstOrDefault(s => !ApiScopes.AllowedFor(role).Contains(s)) is { } refused)
        {
            errors.Add("scopes", ApiScopes.All.Contains(refused)
                ? $"'{refused}' is beyond what a {role} may give; allowed: {string.Join(", ", ApiScopes.AllowedFor(role))}."
                : $"'{refused}' is not a scope; the scopes are {string.Join(", ", ApiScopes.All)}.");
        }

        var days = errors.Int(request.ExpiresInDays, "expiresInDays", DefaultDays, 1, MaxDays);
        if (errors.Any)
        {
            return (null, errors);
        }

        var expires = clock.GetUtcNow().AddDays(days);
        var secret = ApiTokens.NewSecret();
        var granted = ApiScopes.Expand(scopes);
        var id = await store.CreateAsync(name, user.Identity!.Name!, string.Join(' ', granted), ApiTokens.Hash(secret), expires, ct).ConfigureAwait(false);
        return (new CreatedToken(id, name, granted, expires, ApiTokens.Format(id, secret)), errors);
    }

    /// <summary>Revokes a token <paramref name="user"/> may see; false for anything else (someone else's token is as good as absent to a non-admin).</summary>
    public static async Task<bool> RevokeAsync(long id, ClaimsPrincipal user, TokenStore store, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct).ConfigureAwait(false) is not { } token
            || (!user.IsInRole(Roles.Admin) && !string.Equals(token.Owner, user.Identity?.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        await store.RevokeAsync(id, ct).ConfigureAwait(false);
        return true;
    }

    private static TokenEntry Entry(TokenRow row) => new(
        row.Id, row.Name, row.Owner, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), At(row.CreatedMs)!.Value, At(row.ExpiresMs), At(row.RevokedMs), At(row.LastUsedMs));

    private static DateTimeOffset? At(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
