using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage.Database;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests;

/// <summary>
/// The key ring that protects sign-in cookies and channel secrets is kept in the server database: a cookie one server
/// issued is accepted by the next over the same data, and keys an earlier version kept in the keys folder still count.
/// </summary>
public sealed class DataProtectionKeysTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SignInCookie_AnotherServerOnTheSameData_StillSignedIn()
    {
        using var data = new TempDirectory("cctvedge-shared-data");
        string cookie;
        await using (var first = await InProcessServer.StartAsync("--data", data.Path))
        {
            cookie = await SignInCookieAsync(first.WebAddress);
            await using var connection = await first.Services.GetRequiredService<ServerDatabase>().OpenAsync(CancellationToken.None);
            Assert.True(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM data_protection_keys") > 0);
        }

        Assert.False(Directory.Exists(Path.Combine(data.Path, "keys")));
        await using (var second = await InProcessServer.StartFirstRunAsync("--data", data.Path))
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(second.WebAddress, cookie));
        }

        // The same cookie means nothing to a server with other data (and so other keys).
        await using var other = await InProcessServer.StartFirstRunAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other.WebAddress, cookie));
    }

    [Fact]
    public async Task KeysFolder_OfAnEarlierVersion_ImportedSoWhatItProtectedStillReads()
    {
        using var data = new TempDirectory("cctvedge-upgraded-data");
        string protectedBefore;
        // What an earlier server did: keys as files in the data directory's keys folder.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("CctvEdge").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data.Path, "keys")));
        await using (var before = services.BuildServiceProvider())
        {
            protectedBefore = before.GetRequiredService<IDataProtectionProvider>().CreateProtector("upgrade").Protect("kept across the upgrade");
        }

        await using var server = await InProcessServer.StartAsync("--data", data.Path);

        // Data Protection reads the key ring as its hosted service starts: only once the schema is there.
        var hosted = server.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        Assert.InRange(hosted.IndexOf(nameof(StorageStartup)), 0, hosted.IndexOf("DataProtectionHostedService") - 1);

        var protector = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("upgrade");
        Assert.Equal("kept across the upgrade", protector.Unprotect(protectedBefore));
        await using var connection = await server.Services.GetRequiredService<ServerDatabase>().OpenAsync(CancellationToken.None);
        var names = (await connection.QueryAsync<string>("SELECT friendly_name FROM data_protection_keys")).ToList();
        var file = Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "keys"), "*.xml"));
        Assert.Contains(Path.GetFileNameWithoutExtension(file), names);
    }

    /// <summary>Signs in as the admin; returns the Cookie header the browser would send.</summary>
    private static async Task<string> SignInCookieAsync(Uri web)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = web, Timeout = Timeout };
        using var signIn = await client.PostAsJsonAsync("api/auth/sign-in", new { name = WebSignIn.AdminName, password = WebSignIn.AdminPassword });
        signIn.EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(web, cookies.GetCookieHeader(web)));
        return cookies.GetCookieHeader(web);
    }

    private static async Task<HttpStatusCode> MeAsync(Uri web, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = web, Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/auth/me");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(WebSignIn.AdminName, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }

        return response.StatusCode;
    }
}
