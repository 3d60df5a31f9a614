using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// blazor.web.js (the SDK's framework assets) and the Razor class libraries' _content served by a Production server,
/// started as an operator would: from the build output and from a publish. ASP.NET Core maps a build's static web
/// assets by itself only in Development, which once left a Production server from bin/ without its script.
/// </summary>
public sealed class StaticAssetTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> Production = new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" };

    [Fact]
    public async Task Assets_ProductionFromBuildOutput_ServedWithTheirTypes()
    {
        using var data = new TempDirectory("cctvedge-e2e-assets");
        await using var server = await ServerProcess.StartAsync(RepositoryPaths.ServerDll, data.Path, 0, 0, Production);

        await AssertAssetsServedAsync(server);
    }

    [Fact]
    public async Task Assets_ProductionFromPublish_ServedWithTheirTypes()
    {
        using var work = new TempDirectory("cctvedge-e2e-publish");
        var publish = work.Combine("publish");
        var project = Path.Combine(RepositoryPaths.Root, "server", "CctvEdge.Server", "CctvEdge.Server.csproj");
        // --no-build publishes what the solution built; --disable-build-servers leaves no MSBuild node behind.
        await SdkPackage.DotnetAsync(RepositoryPaths.Root, "publish", project, "-c", RepositoryPaths.Configuration, "--no-build", "--disable-build-servers", "-o", publish);
        Assert.True(File.Exists(Path.Combine(publish, "wwwroot", "_framework", "blazor.web.js")), "the publish has no wwwroot/_framework/blazor.web.js");
        Directory.CreateDirectory(work.Combine("data"));
        await using var server = await ServerProcess.StartAsync(Path.Combine(publish, "cctvedge-server.dll"), work.Combine("data"), 0, 0, Production);

        await AssertAssetsServedAsync(server);
    }

    private static async Task AssertAssetsServedAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.WebAddress, Timeout = RequestTimeout };

        var script = await GetAsync(http, "_framework/blazor.web.js", "text/javascript");
        Assert.Contains("Blazor", script, StringComparison.Ordinal);
        await GetAsync(http, "_content/Radzen.Blazor/Radzen.Blazor.js", "text/javascript");
        await GetAsync(http, "_content/Radzen.Blazor/css/material-base.css", "text/css");
        await GetAsync(http, "_content/CctvEdge.Web/app.css", "text/css");
    }

    private static async Task<string> GetAsync(HttpClient http, string path, string mediaType)
    {
        using var response = await http.GetAsync(path).WaitAsync(RequestTimeout);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Length > 1000, $"GET {path}: only {body.Length} characters");
        return body;
    }
}
