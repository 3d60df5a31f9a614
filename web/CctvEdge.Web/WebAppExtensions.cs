using CctvEdge.Web.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
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
    private const string BlazorScriptResource = "CctvEdge.Web.blazor.web.js";

    /// <summary>Registers Blazor (Interactive Server) and Radzen.</summary>
    public static IServiceCollection AddCctvEdgeWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddRadzenComponents();
        return services;
    }

    /// <summary>Maps the pages and the Blazor script; call after UseStaticFiles and UseAntiforgery.</summary>
    public static IEndpointRouteBuilder MapCctvEdgeWeb(this IEndpointRouteBuilder endpoints)
    {
        var script = ReadBlazorScript();
        endpoints.MapGet("/_framework/blazor.web.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(script, "text/javascript");
        }).AllowAnonymous();
        // A plain form post from the layout, so the cookie can be cleared (an interactive circuit cannot touch cookies).
        endpoints.MapPost("/auth/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(UserPrincipal.Scheme);
            return Results.LocalRedirect("/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return endpoints;
    }

    private static byte[] ReadBlazorScript()
    {
        using var stream = typeof(WebAppExtensions).Assembly.GetManifestResourceStream(BlazorScriptResource)
            ?? throw new InvalidOperationException($"{BlazorScriptResource} is missing from CctvEdge.Web.dll; see web/CctvEdge.Web/build/BlazorScript.targets.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
