using System.Net;
using System.Net.Http.Json;

namespace CctvEdge.Harness;

/// <summary>
/// The web app and the REST API require a signed-in user. Tests and benchmarks sign in as the admin (created on the first call,
/// through the first-run endpoint) with a cookie container, as a script would.
/// </summary>
public static class WebSignIn
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-1";

    /// <summary>A client for <paramref name="webAddress"/> signed in as the admin.</summary>
    public static async Task<HttpClient> AdminClientAsync(Uri webAddress)
    {
        var client = NewClient(webAddress);
        try
        {
            var credentials = new { name = AdminName, password = AdminPassword };
            using var setup = await client.PostAsJsonAsync("api/auth/setup", credentials).ConfigureAwait(false);
            if (setup.StatusCode == HttpStatusCode.Conflict)
            {
                using var signIn = await client.PostAsJsonAsync("api/auth/sign-in", credentials).ConfigureAwait(false);
                signIn.EnsureSuccessStatusCode();
            }
            else
            {
                setup.EnsureSuccessStatusCode();
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A client with an empty cookie container: a visitor who has not signed in.</summary>
    public static HttpClient NewClient(Uri webAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = webAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
}
