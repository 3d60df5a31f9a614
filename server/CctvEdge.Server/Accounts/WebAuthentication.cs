using CctvEdge.Server.Hosting;
using CctvEdge.Web;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Accounts;

/// <summary>
/// Cookie sign-in for the web app and the REST API, and API tokens (<c>Authorization: Bearer</c>) for scripts. Everything
/// requires a signed-in user or a valid token unless it says otherwise
/// (the fallback policy): pages, /api and /media alike. Browsers asking for a page are sent to the sign-in page, or to
/// the first-run page while there are no users; /api and /media get 401 instead of a redirect.
/// </summary>
internal static class WebAuthentication
{
    public const string SignInPath = "/signin";
    public const string SetupPath = "/setup";

    /// <summary>Picks the scheme per request: a bearer token goes to <see cref="ApiTokenAuthentication"/>, anything else to the cookie.</summary>
    private const string DefaultScheme = "CookieOrToken";

    public static IServiceCollection AddWebAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Sign-in cookie or API token", options =>
                options.ForwardDefaultSelector = context => ApiTokenAuthentication.Carries(context.Request) ? ApiTokenAuthentication.SchemeName : UserPrincipal.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null)
            .AddCookie(UserPrincipal.Scheme, options =>
        {
            options.Cookie.Name = "cctvedge.auth";
            options.Cookie.HttpOnly = true;
            // Lax: a link to a page (from a notification, say) arrives signed in; forms carry antiforgery tokens.
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = SignInPath;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            options.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = RedirectToSignInAsync,
                OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden),
                OnValidatePrincipal = ValidateAsync,
            };
        });
        // Over HTTPS the cookie is Secure: a browser never sends it over plain HTTP (a proxy, a downgrade).
        services.AddOptions<CookieAuthenticationOptions>(UserPrincipal.Scheme).Configure<IOptions<ServerOptions>>((cookie, server) =>
            cookie.Cookie.SecurePolicy = server.Value.WebTls.Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()).AddApiPolicies();
        return services;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/media");

    private static async Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountService>();
        context.Response.Redirect(await accounts.HasUsersAsync(context.HttpContext.RequestAborted).ConfigureAwait(false) ? context.RedirectUri : SetupPath);
    }

    private static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>A cookie of a deleted user, or from before a password or role change, no longer signs anyone in.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(UserPrincipal.StampClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<IAccountService>();
        if (name is null || stamp is null || await accounts.CurrentAsync(name, stamp, context.HttpContext.RequestAborted).ConfigureAwait(false) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(UserPrincipal.Scheme).ConfigureAwait(false);
        }
    }
}
