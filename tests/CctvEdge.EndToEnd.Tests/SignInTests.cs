using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The first run and signing in and out, in Chromium against a fresh server.</summary>
public sealed class SignInTests
{
    [Fact]
    public async Task SignIn_FirstRun_AsksForAdminThenSignsOutAndBackIn()
    {
        using var data = new TempDirectory("cctvedge-e2e-signin");
        await using var server = await ServerProcess.StartAsync(data.Path);
        await using var browser = await Browser.LaunchAsync();

        var page = await browser.OpenAsync(server.WebAddress);
        Assert.EndsWith("/setup", page.Url, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "setup");
        await page.FillAsync("#name", "farmer");
        await page.FillAsync("#password", "long-enough-1");
        await page.FillAsync("#repeat", "long-enough-1");
        await page.ClickAsync("[data-testid=setup-submit]");
        await Assertions.Expect(page.Locator("[data-testid=no-nodes]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("farmer (admin)");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(server.WebAddress, "storage").ToString());
        Assert.Contains("/signin?ReturnUrl=%2Fstorage", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#name", "farmer");
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("[data-testid=signin-submit]");
        await Assertions.Expect(page.Locator("[data-testid=signin-error]")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "signin");

        await Browser.SignInAsync(page, "farmer", "long-enough-1");
        Assert.EndsWith("/storage", page.Url, StringComparison.Ordinal);
    }
}
