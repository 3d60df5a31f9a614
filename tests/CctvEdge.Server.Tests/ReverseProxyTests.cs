using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Client addresses behind a reverse proxy: <c>X-Forwarded-For</c> counts only when a known proxy sends it (Web:KnownProxies,
/// Web:KnownNetworks), for the sign-in lock and the audit log alike. The test process, on 127.0.0.1, plays the proxy.
/// </summary>
public sealed class ReverseProxyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SignIn_TwoClientsBehindAKnownProxy_LockedOutSeparately_AndAuditedWithTheirOwnAddresses()
    {
        await using var server = await InProcessServer.StartAsync("--Web:KnownProxies:0", "127.0.0.1");
        using var guesser = Behind(server, "203.0.113.7");
        using var owner = Behind(server, "203.0.113.8");

        for (var i = 1; i < Accounts.SignInThrottle.FreeFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(guesser, "guess-" + i));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(guesser, "one-guess-too-many"));
        Assert.Equal(HttpStatusCode.NoContent, await SignInAsync(owner, WebSignIn.AdminPassword));
        var remotes = (await AuditAsync(server))
            .Where(e => e.GetProperty("action").GetString() == "POST /api/auth/sign-in")
            .Select(e => e.GetProperty("remote").GetString())
            .ToList();
        Assert.Equal(Accounts.SignInThrottle.FreeFailures, remotes.Count(r => r == "203.0.113.7"));
        Assert.Contains("203.0.113.8", remotes);
    }

    [Theory]
    [InlineData]
    [InlineData("--Web:KnownProxies:0", "10.9.9.9", "--Web:KnownNetworks:0", "192.168.0.0/16")]
    public async Task SignIn_SpoofedForwardedForFromAnUnknownAddress_Ignored_LockStillHolds(params string[] proxyArgs)
    {
        await using var server = await InProcessServer.StartAsync(proxyArgs);

        // A new claimed address every time: were the header believed, no address would reach five failures.
        for (var i = 1; i < Accounts.SignInThrottle.FreeFailures; i++)
        {
            using var spoofer = Behind(server, "198.51.100." + i);
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(spoofer, "guess-" + i));
        }

        using var last = Behind(server, "198.51.100.99");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(last, "one-guess-too-many"));
        using var right = Behind(server, "198.51.100.100");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(right, WebSignIn.AdminPassword));
        Assert.All(
            (await AuditAsync(server)).Where(e => e.GetProperty("action").GetString() == "POST /api/auth/sign-in"),
            e => Assert.Equal("127.0.0.1", e.GetProperty("remote").GetString()));
    }

    [Theory]
    [InlineData("--Web:KnownProxies:0", "nginx.local", "Web:KnownProxies:0: 'nginx.local' is not an IP address")]
    [InlineData("--Web:KnownNetworks:0", "10.0.0.0/33", "Web:KnownNetworks:0: '10.0.0.0/33' is not a network in CIDR notation")]
    [InlineData("--Web:KnownNetworks:0", "10.0.0.1", "Web:KnownNetworks:0: '10.0.0.1' is not a network")]
    [InlineData("--Web:TrustedProxies:0", "10.0.0.1", "TrustedProxies")]
    public async Task Server_BadProxyOption_RefusesToStartNamingTheKey(string key, string value, string expected)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessServer.StartAsync(key, value));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    private static HttpClient Behind(InProcessServer server, string clientAddress)
    {
        var client = WebSignIn.NewClient(server.WebAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return client;
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient client, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/sign-in", new { name = WebSignIn.AdminName, password }).WaitAsync(Timeout);
        return response.StatusCode;
    }

    private static async Task<JsonElement[]> AuditAsync(InProcessServer server) =>
        await server.Http.GetFromJsonAsync<JsonElement[]>("/api/audit?limit=500").WaitAsync(Timeout) ?? [];
}
