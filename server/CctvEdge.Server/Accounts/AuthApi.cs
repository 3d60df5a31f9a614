using CctvEdge.Web;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Accounts;

/// <summary>The credentials a script posts as JSON.</summary>
internal sealed record Credentials(string Name, string Password);

/// <summary>
/// Sign-in for scripts and tests: the same cookie the browser gets, from JSON. A client keeps it in a cookie
/// container and sends it with every /api and /media request.
/// </summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth");
        auth.MapPost("/setup", SetupAsync).AllowAnonymous();
        auth.MapPost("/sign-in", SignInAsync).AllowAnonymous();
        auth.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(UserPrincipal.Scheme);
            return TypedResults.NoContent();
        });
        auth.MapGet("/me", (HttpContext http) => new { http.User.Identity!.Name, Role = Roles.All.FirstOrDefault(http.User.IsInRole) });
        return endpoints;
    }

    /// <summary>The first run: creates the admin and signs in; 409 once any user exists.</summary>
    private static async Task<Results<NoContent, Conflict<string>, BadRequest<string>>> SetupAsync(Credentials credentials, IAccountService accounts, HttpContext http, CancellationToken ct)
    {
        if (await accounts.HasUsersAsync(ct))
        {
            return TypedResults.Conflict("The admin exists already; use /api/auth/sign-in.");
        }

        var (user, problem) = await accounts.CreateFirstAdminAsync(credentials.Name, credentials.Password, ct);
        if (user is null)
        {
            return await accounts.HasUsersAsync(ct) ? TypedResults.Conflict(problem!.Message) : TypedResults.BadRequest(problem!.Message);
        }

        await http.SignInAsync(UserPrincipal.Scheme, UserPrincipal.Create(user));
        return TypedResults.NoContent();
    }

    /// <summary>204 with the cookie; 401 for wrong credentials; 429 with Retry-After while the name is locked.</summary>
    private static async Task<Results<NoContent, UnauthorizedHttpResult, ProblemHttpResult>> SignInAsync(Credentials credentials, IAccountService accounts, HttpContext http, CancellationToken ct)
    {
        var attempt = await accounts.VerifyAsync(credentials.Name, credentials.Password, http.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        if (attempt.User is null)
        {
            if (attempt.LockedFor is not { } locked)
            {
                return TypedResults.Unauthorized();
            }

            http.Response.Headers.RetryAfter = Math.Ceiling(locked.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(attempt.Problem, statusCode: StatusCodes.Status429TooManyRequests);
        }

        await http.SignInAsync(UserPrincipal.Scheme, UserPrincipal.Create(attempt.User));
        return TypedResults.NoContent();
    }
}
