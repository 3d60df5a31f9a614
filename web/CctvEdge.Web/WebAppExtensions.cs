using CctvEdge.Web.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CctvEdge.Web;

/// <summary>
/// Adds the web app to a host. The host supplies the view services (<c>CctvEdge.Web.Services</c>), cookie
/// authentication with the <see cref="UserPrincipal.Scheme"/> scheme, and a fallback policy that requires a signed-in user.
/// </summary>
public static class WebAppExtensions
{
    /// <summary>Registers Blazor (Interactive Server) and Radzen.</summary>
    public static IServiceCollection AddCctvEdgeWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddRadzenComponents();
        return services;
    }

    /// <summary>
    /// Maps the static assets (blazor.web.js from the SDK's framework assets, Radzen's and our <c>_content</c>) and
    /// the pages; call after UseAntiforgery.
    /// </summary>
    public static IEndpointRouteBuilder MapCctvEdgeWeb(this IEndpointRouteBuilder endpoints)
    {
        // Assets are public: the sign-in page needs its script and styles before anyone has signed in.
        endpoints.MapStaticAssets().AllowAnonymous();
        endpoints.MapServiceWorker();
        // A plain form post from the layout, so the cookie can be cleared (an interactive circuit cannot touch cookies).
        endpoints.MapPost("/auth/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(UserPrincipal.Scheme);
            return Results.LocalRedirect("/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return endpoints;
    }

    /// <summary>
    /// The service worker at the root, where its scope can cover every page (one under <c>_content</c> could only
    /// control that folder). Not cached by the browser, so a new version installs on the next visit.
    /// </summary>
    private static void MapServiceWorker(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/service-worker.js", (IWebHostEnvironment environment, HttpContext http) =>
        {
            var file = environment.WebRootFileProvider.GetFileInfo("_content/CctvEdge.Web/service-worker.js");
            if (!file.Exists)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-cache";
            return Results.Stream(file.CreateReadStream(), "text/javascript");
        }).AllowAnonymous();
}
