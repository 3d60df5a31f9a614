using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CctvEdge.Server.Tests;

/// <summary>The audit log of writes: who, via what, what, when and the outcome, readable by admins only.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WriteWithAToken_LoggedWithTheTokenStatusAndAddress_ReadsAreNot()
    {
        var token = await InProcessServer.CreateTokenAsync(_server.Http, "provisioning", "admin");
        using var script = _server.BearerClient(token);

        using var issued = await script.PostAsJsonAsync("/api/enrolment-codes", new { comment = "shed" });
        (await script.GetAsync("/api/enrolment-codes")).Dispose();
        var entries = await AuditAsync(_server.Http);

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var entry = entries.First(e => e.GetProperty("action").GetString() == "POST /api/enrolment-codes");
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
        Assert.Matches("^token #[0-9]+ provisioning$", entry.GetProperty("via").GetString());
        Assert.Equal("201", entry.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("remote").GetString());
        // Creating the token (signed in with the cookie) is there too, and no GET is.
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "POST /api/tokens" && e.GetProperty("via").GetString() == "api");
        Assert.DoesNotContain(entries, e => e.GetProperty("action").GetString()!.StartsWith("GET ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedWrite_LoggedWithItsStatus_AndViewersCannotReadTheLog()
    {
        using var viewer = await _server.ViewerClientAsync("val");

        using var refused = await viewer.DeleteAsync("/api/nodes/barn/credential");
        using var read = await viewer.GetAsync("/api/audit");
        var entries = await AuditAsync(_server.Http, "?actor=val");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var entry = Assert.Single(entries, e => e.GetProperty("action").GetString() == "DELETE /api/nodes/barn/credential");
        Assert.Equal("403", entry.GetProperty("outcome").GetString());
        Assert.All(entries, e => Assert.Equal("val", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task BadQuery_ProblemNamingTheField()
    {
        using var response = await _server.Http.GetAsync("/api/audit?limit=0&from=yesterday");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
    }

    private static async Task<JsonElement[]> AuditAsync(HttpClient admin, string query = "") =>
        await admin.GetFromJsonAsync<JsonElement[]>("/api/audit" + query) ?? [];
}
