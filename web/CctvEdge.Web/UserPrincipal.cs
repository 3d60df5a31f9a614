using System.Security.Claims;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CctvEdge.Web;

/// <summary>The claims a sign-in cookie carries; the pages and the REST API build them the same way.</summary>
public static class UserPrincipal
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string StampClaim = "cctvedge:stamp";

    public static ClaimsPrincipal Create(SignedInUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), new Claim(StampClaim, user.Stamp)],
            Scheme));
    }

    /// <summary>Only local paths, so a crafted sign-in link cannot send the user to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
