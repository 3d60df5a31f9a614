using System.Net;
using System.Net.Http.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class AuthenticationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("/api/nodes")]
    [InlineData("/api/events")]
    [InlineData("/api/clips")]
    [InlineData("/api/clips.csv")]
    [InlineData("/media/clips/c1.mp4")]
    [InlineData("/media/snapshots/barn/yard.jpg")]
    [InlineData("/media/files/1")]
    [InlineData("/media/live/barn/yard")]
    [InlineData("/api/export.zip?cameras=barn.yard&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")]
    public async Task Get_SignedOut_Refused401(string url)
    {
        await using var server = await InProcessServer.StartAsync();
        using var visitor = WebSignIn.NewClient(server.WebAddress);

        using var response = await visitor.GetAsync(url).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_SignedOut_Answers()
    {
        await using var server = await InProcessServer.StartFirstRunAsync();

        Assert.Equal("ok", await server.Http.GetStringAsync("/healthz").WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/events")]
    [InlineData("/signin")]
    public async Task Page_FirstRun_RedirectsToSetup(string path)
    {
        await using var server = await InProcessServer.StartFirstRunAsync();

        using var response = await server.Http.GetAsync(path).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", new Uri(server.WebAddress, response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Page_SignedOutAfterSetup_RedirectsToSignInWithReturnUrl()
    {
        await using var server = await InProcessServer.StartAsync();
        using var visitor = WebSignIn.NewClient(server.WebAddress);

        using var response = await visitor.GetAsync("/events").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fevents", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_AdminExists_Conflict()
    {
        await using var server = await InProcessServer.StartAsync();
        using var visitor = WebSignIn.NewClient(server.WebAddress);

        using var response = await visitor.PostAsJsonAsync("/api/auth/setup", new { name = "mallory", password = "takeover-attempt" }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Null(await server.Services.GetRequiredService<UserStore>().FindAsync("mallory", CancellationToken.None));
    }

    [Fact]
    public async Task SignIn_WrongPassword_Unauthorized()
    {
        await using var server = await InProcessServer.StartAsync();
        using var visitor = WebSignIn.NewClient(server.WebAddress);

        using var response = await visitor.PostAsJsonAsync("/api/auth/sign-in", new { name = WebSignIn.AdminName, password = "not-the-password" }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.GetAsync("/api/nodes").WaitAsync(Timeout)).StatusCode);
    }

    [Fact]
    public async Task SignIn_RepeatedWrongPasswords_LockedWith429AndEvenTheRightPasswordWaits()
    {
        await using var server = await InProcessServer.StartAsync();
        using var visitor = WebSignIn.NewClient(server.WebAddress);
        for (var i = 1; i < Accounts.SignInThrottle.FreeFailures; i++)
        {
            using var wrong = await visitor.PostAsJsonAsync("/api/auth/sign-in", new { name = WebSignIn.AdminName, password = "guess-" + i }).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var locking = await visitor.PostAsJsonAsync("/api/auth/sign-in", new { name = WebSignIn.AdminName, password = "one-guess-too-many" }).WaitAsync(Timeout);
        using var right = await visitor.PostAsJsonAsync("/api/auth/sign-in", new { name = WebSignIn.AdminName, password = WebSignIn.AdminPassword }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.TooManyRequests, locking.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.InRange(right.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.Contains("Too many failed sign-ins", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.GetAsync("/api/nodes").WaitAsync(Timeout)).StatusCode);
    }

    [Fact]
    public async Task Cookie_PasswordChangedElsewhere_NoLongerSignsIn()
    {
        await using var server = await InProcessServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/nodes").WaitAsync(Timeout)).StatusCode);

        await server.Services.GetRequiredService<UserStore>().UpdateAsync(WebSignIn.AdminName, Accounts.AccountService.Hash("a-new-password"), null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/api/nodes").WaitAsync(Timeout)).StatusCode);
    }

    [Fact]
    public async Task SignOut_Cookie_RefusedAfterwards()
    {
        await using var server = await InProcessServer.StartAsync();

        using var signOut = await server.Http.PostAsync("/api/auth/sign-out", null).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/api/nodes").WaitAsync(Timeout)).StatusCode);
    }
}
