using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>API tokens: created by a signed-in user, shown once, stored hashed, scoped, revocable, bounded by the owner's role.</summary>
public sealed class TokenApiTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private long _eventId;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        await using var seed = await _server.SeedAsync();
        await seed.NodeAsync("barn", "Barn", DateTimeOffset.UtcNow, ["yard"]);
        _eventId = await seed.EventAsync("barn", "yard", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Token_ReadScope_ReadsButCannotReview()
    {
        using var client = Bearer(await CreateAsync(_server.Http, "script", "read"));

        using var events = await client.GetAsync("/api/events");
        using var acknowledge = await client.PostAsync($"/api/events/{_eventId}/acknowledge", null);

        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, acknowledge.StatusCode);
    }

    [Fact]
    public async Task Token_ReviewScope_AcknowledgesAsItsOwner()
    {
        using var client = Bearer(await CreateAsync(_server.Http, "reviewer", "review"));

        using var acknowledge = await client.PostAsync($"/api/events/{_eventId}/acknowledge", null);

        Assert.Equal(HttpStatusCode.NoContent, acknowledge.StatusCode);
        await using var connection = await _server.Database().OpenAsync(CancellationToken.None);
        Assert.Equal(WebSignIn.AdminName, await connection.ExecuteScalarAsync<string>("SELECT acknowledged_by FROM events WHERE id = @Id", new { Id = _eventId }));
    }

    [Fact]
    public async Task Token_MissingWrongRevokedOrExpired_Unauthorized()
    {
        var token = await CreateAsync(_server.Http, "short-lived", "read");
        var id = JsonDocument.Parse(await (await _server.Http.GetAsync("/api/tokens")).Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetInt64();
        using var anonymous = WebSignIn.NewClient(_server.WebAddress);
        using var wrong = Bearer(token[..^4] + "AAAA");
        using var garbage = Bearer("not-a-token");
        using var good = Bearer(token);

        var before = (await good.GetAsync("/api/events")).StatusCode;
        using var revoke = await _server.Http.DeleteAsync($"/api/tokens/{id}");
        var afterRevoke = (await good.GetAsync("/api/events")).StatusCode;
        await using (var connection = await _server.Database().OpenAsync(CancellationToken.None))
        {
            var expired = await CreateAsync(_server.Http, "expired", "read");
            await connection.ExecuteAsync("UPDATE api_tokens SET expires_ms = 1 WHERE name = 'expired'");
            using var expiredClient = Bearer(expired);
            Assert.Equal(HttpStatusCode.Unauthorized, (await expiredClient.GetAsync("/api/events")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task Create_SecretShownOnceAndStoredOnlyAsAHash()
    {
        var token = await CreateAsync(_server.Http, "once", "read");

        var listed = await _server.Http.GetStringAsync("/api/tokens");
        await using var connection = await _server.Database().OpenAsync(CancellationToken.None);
        var stored = await connection.QueryFirstAsync<(string Scopes, byte[] SecretHash)>("SELECT scopes, secret_hash FROM api_tokens WHERE name = 'once'");

        var secret = token[(token.IndexOf('_', "cev_".Length) + 1)..];
        Assert.Equal(43, secret.Length);
        Assert.StartsWith("cev_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(stored.SecretHash), StringComparison.Ordinal);
        Assert.Equal("read", stored.Scopes);
    }

    [Theory]
    [InlineData("""{ "name": "", "scopes": ["read"] }""", "name")]
    [InlineData("""{ "name": "x", "scopes": [] }""", "scopes")]
    [InlineData("""{ "name": "x", "scopes": ["root"] }""", "scopes")]
    [InlineData("""{ "name": "x", "scopes": ["read"], "expiresInDays": 0 }""", "expiresInDays")]
    public async Task Create_BadRequest_ProblemNamingTheField(string body, string field)
    {
        using var response = await _server.Http.PostAsync("/api/tokens", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Viewer_CannotGiveReviewOrAdmin_AndTheirTokenOnlyReads()
    {
        using var viewer = await _server.ViewerClientAsync();

        using var refused = await viewer.PostAsJsonAsync("/api/tokens", new { name = "too much", scopes = new[] { "review" } });
        using var client = Bearer(await CreateAsync(viewer, "mine", "read"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/events/{_eventId}/flag", null)).StatusCode);
        // A token cannot mint tokens, even its owner's.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/tokens", new { name = "child", scopes = new[] { "read" } })).StatusCode);
    }

    private static Task<string> CreateAsync(HttpClient signedIn, string name, string scope) => InProcessServer.CreateTokenAsync(signedIn, name, scope);

    private HttpClient Bearer(string token) => _server.BearerClient(token);
}
