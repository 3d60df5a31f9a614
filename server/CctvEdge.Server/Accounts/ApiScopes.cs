using System.Security.Claims;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Authorization;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// What an API caller may do. A signed-in user (the cookie) may do what their role allows: admins everything, viewers
/// read. A token may do what its scopes allow, and no more than its owner's role: <c>read</c> (every GET),
/// <c>review</c> (acknowledge and flag, and read), <c>admin</c> (everything).
/// </summary>
internal static class ApiScopes
{
    public const string Read = "read";
    public const string Review = "review";
    public const string Admin = "admin";

    /// <summary>The claim a token's principal carries once per scope.</summary>
    public const string Claim = "scope";

    /// <summary>The policy acknowledge and flag ask for.</summary>
    public const string ReviewPolicy = "api-review";

    /// <summary>The policy configuration changes ask for.</summary>
    public const string AdminPolicy = "api-admin";

    public static readonly IReadOnlyList<string> All = [Read, Review, Admin];

    /// <summary>A scope and those it implies: review reads, admin reviews and reads.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> scopes)
    {
        var set = scopes.ToHashSet(StringComparer.Ordinal);
        return All.Where(s => set.Contains(s) || (s == Read && set.Count > 0) || (s == Review && set.Contains(Admin))).ToList();
    }

    /// <summary>The scopes a user of <paramref name="role"/> may give a token.</summary>
    public static IReadOnlyList<string> AllowedFor(string role) => role == Roles.Admin ? All : [Read];

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(ReviewPolicy, policy => policy.RequireAssertion(context => Allows(context.User, Review)))
        .AddPolicy(AdminPolicy, policy => policy.RequireAssertion(context => Allows(context.User, Admin)));

    private static bool Allows(ClaimsPrincipal user, string scope) =>
        user.Identity?.AuthenticationType == ApiTokenAuthentication.SchemeName
            ? user.HasClaim(Claim, scope)
            : user.IsInRole(Roles.Admin);
}
