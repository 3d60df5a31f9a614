using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>Every page on a phone (390x844, touch) and on a desktop; the live grid and the wall.</summary>
public sealed partial class ReviewAppTests
{
    private static readonly string[] Pages = ["", "events", "live", "storage", "export", "notifications", "tokens", "fleet", "users", "live/wall"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryPage_DesktopAndPhone_NoSidewaysScrollingAndSaved(bool phone)
    {
        var eventId = await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "", phone);
        foreach (var path in Pages.Append($"player/{eventId}"))
        {
            await page.GotoAsync(new Uri(fixture.Web, path).ToString());
            await Browser.WaitInteractiveAsync(page);
            // Charts and grids lay themselves out after the first paint.
            await page.WaitForTimeoutAsync(300);
            var name = path.Length == 0 ? "overview" : Regex.Replace(path, "[^a-z0-9]+", "-");
            await Browser.ScreenshotAsync(page, $"page-{name}-{(phone ? "phone" : "desktop")}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/{path} scrolls sideways at {(phone ? "390" : "1400")} px");
        }
    }

    [Fact]
    public async Task Navigation_Phone_MenuReachesEveryPageAndClosesAfterwards()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "", phone: true);
        await Browser.WaitInteractiveAsync(page);
        var menu = page.Locator("[data-testid=nav-menu]");
        var nav = page.Locator("[data-testid=nav]");
        await Assertions.Expect(nav).ToBeHiddenAsync();

        foreach (var (text, path) in new[] { ("Events", "/events"), ("Live", "/live"), ("Storage", "/storage"), ("Export", "/export"), ("Notifications", "/notifications"), ("Tokens", "/tokens"), ("Fleet", "/fleet"), ("Users", "/users"), ("Overview", "/") })
        {
            await menu.TapAsync();
            var link = nav.GetByRole(AriaRole.Link, new() { Name = text, Exact = true });
            await Assertions.Expect(link).ToBeVisibleAsync();
            await link.TapAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path);
            await Assertions.Expect(nav).ToBeHiddenAsync();
        }

        await menu.TapAsync();
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LiveGrid_DesktopAndPhone_TilePerCameraMotionMarkedFollowedAndTapOpensLive(bool phone)
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "live", phone);
        await Browser.WaitInteractiveAsync(page);

        var tiles = page.Locator("[data-testid=grid-tile]");
        await Assertions.Expect(tiles).ToHaveCountAsync(3);
        Assert.Equal(["e2e-node.gate", "e2e-node.lane", "e2e-node.yard"], (await Task.WhenAll((await tiles.AllAsync()).Select(t => t.GetAttributeAsync("data-camera")))).Order());
        // The yard camera has the motion plugin and a moving picture; the others have no plugins, so no events.
        await Assertions.Expect(page.Locator("[data-testid=grid-tile][data-camera='e2e-node.yard']")).ToHaveAttributeAsync("data-motion", "true", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=grid-tile][data-camera='e2e-node.gate']")).ToHaveAttributeAsync("data-motion", "false");

        // Gate sends a snapshot every 30 s on its own; while the grid follows it, one a second, and the tile shows each.
        var gate = page.Locator("[data-testid=grid-tile][data-camera='e2e-node.gate'] [data-testid=grid-snapshot]");
        await Assertions.Expect(gate).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(8);
        while (DateTime.UtcNow < deadline && seen.Count < 3)
        {
            seen.Add((await gate.GetAttributeAsync("src"))!);
            await page.WaitForTimeoutAsync(250);
        }

        Assert.True(seen.Count >= 3, $"the gate tile showed {seen.Count} snapshots in 8 s");
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the live grid scrolls sideways");
        await Browser.ScreenshotAsync(page, phone ? "live-grid-phone" : "live-grid");

        // Motion first puts the marked tile ahead of the others.
        await page.GotoAsync(new Uri(fixture.Web, "live?motion-first=true").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(tiles.First).ToHaveAttributeAsync("data-camera", "e2e-node.yard");

        var lane = page.Locator("[data-testid=grid-tile][data-camera='e2e-node.lane']");
        await (phone ? lane.TapAsync() : lane.ClickAsync());
        await page.WaitForURLAsync(url => url.EndsWith("/live/e2e-node/lane", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=live-camera]")).ToHaveTextAsync("Lane");
    }

    [Fact]
    public async Task Wall_PagesOfTiles_NoChromeMotionFirstAndCycling()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "live/wall?tiles=2&cycle=2");
        await Browser.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("[data-testid=nav]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=grid-tile]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=grid-page]")).ToHaveTextAsync("Page 1 of 2");
        await Assertions.Expect(page.Locator("[data-testid=grid-page]")).ToHaveTextAsync("Page 2 of 2", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=grid-tile]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=grid-page]")).ToHaveTextAsync("Page 1 of 2", new() { Timeout = 10_000 });
        await Browser.ScreenshotAsync(page, "wall");
    }
}
