using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>The REST API for scripts: events filtered and paged, bad values refused by name, review actions by role, described in OpenAPI.</summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private InProcessServer _server = null!;
    private long[] _ids = [];

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        await using (var seed = await _server.SeedAsync())
        {
            await seed.NodeAsync("barn", "Barn", Morning, ["yard", "gate"]);
            await seed.NodeAsync("shed", "Shed", Morning, ["door"]);
            _ids =
            [
                await seed.EventAsync("barn", "yard", Morning, TimeSpan.FromSeconds(5)),
                await seed.EventAsync("barn", "gate", Morning.AddMinutes(1), TimeSpan.FromSeconds(5), kind: "person"),
                await seed.EventAsync("shed", "door", Morning.AddMinutes(2), TimeSpan.FromSeconds(5)),
                await seed.EventAsync("barn", "yard", Morning.AddDays(1), TimeSpan.FromSeconds(5)),
            ];
        }

        // Seeded nodes in two sites, as the fleet page sets them.
        var nodes = _server.Services.GetRequiredService<CctvEdge.Server.Storage.NodeStore>();
        await nodes.SetSiteAsync("barn", "North field", CancellationToken.None);
        await nodes.SetSiteAsync("shed", "Yard", CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/api/events?limit=-5", "limit")]
    [InlineData("/api/events?limit=100000000", "limit")]
    [InlineData("/api/events?limit=0", "limit")]
    [InlineData("/api/events?offset=-1", "offset")]
    [InlineData("/api/events?from=x", "from")]
    [InlineData("/api/events?from=2026-11-22&to=2026-11-21", "to")]
    [InlineData("/api/events?camera=yard", "camera")]
    [InlineData("/api/clips?limit=-5", "limit")]
    [InlineData("/api/clips.csv?from=x", "from")]
    [InlineData("/api/clips.csv?from=2026-11-21&to=21.11.2026", "to")]
    public async Task Get_BadParameter_ProblemNamingIt(string url, string field)
    {
        using var response = await _server.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Theory]
    [InlineData("", new[] { 3, 2, 1, 0 })]
    [InlineData("limit=2", new[] { 3, 2 })]
    [InlineData("limit=2&offset=2", new[] { 1, 0 })]
    [InlineData("node=barn", new[] { 3, 1, 0 })]
    [InlineData("node=barn&camera=yard", new[] { 3, 0 })]
    [InlineData("kind=person", new[] { 1 })]
    [InlineData("site=Yard", new[] { 2 })]
    [InlineData("site=North%20field&kind=motion", new[] { 3, 0 })]
    [InlineData("site=Elsewhere", new int[0])]
    [InlineData("from=2026-11-21T06:00:30Z&to=2026-11-22", new[] { 2, 1 })]
    public async Task GetEvents_Filters_NewestFirstMatchingOnly(string query, int[] expected)
    {
        var events = await _server.Http.GetFromJsonAsync<JsonElement[]>($"/api/events?{query}");

        Assert.Equal(expected.Select(i => _ids[i]), events!.Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task AcknowledgeAndFlag_Admin_StateFollowsAndFiltersSeeIt()
    {
        var id = _ids[2];

        using var acknowledged = await _server.Http.PostAsync($"/api/events/{id}/acknowledge", null);
        using var again = await _server.Http.PostAsync($"/api/events/{id}/acknowledge", null);
        using var flagged = await _server.Http.PostAsync($"/api/events/{id}/flag", null);
        var listed = await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/events?acknowledged=true&flagged=true");
        using var unflagged = await _server.Http.DeleteAsync($"/api/events/{id}/flag");
        var afterUnflag = await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/events?flagged=true");

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent], new[] { acknowledged.StatusCode, again.StatusCode, flagged.StatusCode, unflagged.StatusCode });
        var only = Assert.Single(listed!);
        Assert.Equal((id, true, true), (only.GetProperty("id").GetInt64(), only.GetProperty("acknowledged").GetBoolean(), only.GetProperty("flagged").GetBoolean()));
        Assert.Empty(afterUnflag!);
    }

    [Fact]
    public async Task Acknowledge_UnknownEvent_NotFound()
    {
        using var response = await _server.Http.PostAsync("/api/events/999999/acknowledge", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Acknowledge_Viewer_ForbiddenAndNothingChanges()
    {
        using var viewer = await _server.ViewerClientAsync();

        using var response = await viewer.PostAsync($"/api/events/{_ids[0]}/acknowledge", null);
        var visible = await viewer.GetFromJsonAsync<JsonElement[]>("/api/events?acknowledged=true");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(visible!);
    }

    [Fact]
    public async Task OpenApiDocument_EveryApiEndpoint_DescribedAndTheReferencePageServed()
    {
        var document = await _server.Http.GetFromJsonAsync<JsonElement>("/api/openapi/v1.json");
        var described = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var mapped = _server.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            // A group's own route ("" under /api/tokens) reads "/api/tokens/"; OpenAPI writes it without the slash.
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(route => route.StartsWith("/api/", StringComparison.Ordinal) && !route.StartsWith("/api/docs", StringComparison.Ordinal) && !route.StartsWith("/api/openapi/", StringComparison.Ordinal))
            .Select(route => System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:[^}]*)?\}", "{$1}"))
            .ToHashSet(StringComparer.Ordinal);
        // Scalar answers /api/docs with a redirect to /api/docs/, as a browser would follow it.
        using var first = await _server.Http.GetAsync("/api/docs");
        using var page = first.Headers.Location is { } next ? await _server.Http.GetAsync(new Uri(new Uri(_server.WebAddress, "/api/docs"), next)) : first;

        Assert.Contains("/api/events", mapped);
        Assert.Contains("/api/events/{id}/acknowledge", mapped);
        Assert.Empty(mapped.Except(described));
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
        // The page names the document relative to the site's base (Scalar resolves it against the origin) and serves
        // its own script, so the reference works with no CDN on a farm's network.
        Assert.Contains("\"url\":\"api/openapi/v1.json\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("initialize", await _server.Http.GetStringAsync("/api/docs/scalar.aspnetcore.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresBearerTokens_ForEveryCall()
    {
        var document = await _server.Http.GetFromJsonAsync<JsonElement>("/api/openapi/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Contains(document.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("bearer", out _));
    }
}
