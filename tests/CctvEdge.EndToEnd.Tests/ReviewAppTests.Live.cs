using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The live grid, its saved camera groups and the wall, on a desktop and a phone.</summary>
public sealed partial class ReviewAppTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LiveGrid_DesktopAndPhone_TilePerCameraMotionMarkedFollowedAndTapOpensLive(bool phone)
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "live", phone);
        await Browser.WaitInteractiveAsync(page);

        var tiles = page.Locator("[data-testid=grid-tile]");
        await Assertions.Expect(tiles).ToHaveCountAsync(3);
        Assert.Equal(["e2e-node.gate", "e2e-node.lane", "e2e-node.yard"], (await CamerasAsync(tiles)).Order());
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
    public async Task CameraGroups_SavedOnTheDesktop_PickedAndShownInOrderOnAPhoneAndTheWall_ThenDeleted()
    {
        const string name = "Lane and gate";
        var tiles = "[data-testid=grid-tile]";
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "live");
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator(tiles)).ToHaveCountAsync(3);

        // A group needs a name: the editor says so and saves nothing.
        await page.Locator("[data-testid=groups-edit]").ClickAsync();
        await page.Locator("[data-testid=group-camera][data-camera='e2e-node.lane']").CheckAsync();
        await page.Locator("[data-testid=group-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=group-problem]")).ToContainTextAsync("name must be 1 to 60 characters");
        await page.Locator("[data-testid=group-name]").FillAsync(name);
        await page.Locator("[data-testid=group-camera][data-camera='e2e-node.gate']").CheckAsync();
        await Browser.ScreenshotAsync(page, "live-group-editor");
        await page.Locator("[data-testid=group-save]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("group=Lane%20and%20gate", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(tiles)).ToHaveCountAsync(2);
        Assert.Equal(["e2e-node.gate", "e2e-node.lane"], await CamerasAsync(page.Locator(tiles)));
        await Assertions.Expect(page.Locator("[data-testid=group-editor]")).ToHaveCountAsync(0);

        // The picker offers it from a grid of every camera.
        await page.GotoAsync(new Uri(fixture.Web, "live").ToString());
        await Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=group-picker]").ClickAsync();
        await page.Locator(".rz-dropdown-item", new() { HasText = name }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("group=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(tiles)).ToHaveCountAsync(2);

        var phone = await fixture.Browser.OpenSignedInAsync(fixture.Web, $"live?group={Uri.EscapeDataString(name)}", phone: true);
        await Browser.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator(tiles)).ToHaveCountAsync(2);
        await Assertions.Expect(phone.Locator("[data-testid=group-picker]")).ToBeVisibleAsync();
        Assert.False(await Browser.OverflowsSidewaysAsync(phone), "the grid of a group scrolls sideways on a phone");
        await Browser.ScreenshotAsync(phone, "live-group-phone");
        await phone.GotoAsync(new Uri(fixture.Web, $"live/wall?group={Uri.EscapeDataString(name)}").ToString());
        await Browser.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator(tiles)).ToHaveCountAsync(2);

        // Deleting it goes back to every camera, and with no group left there is nothing to pick.
        await page.Locator("[data-testid=groups-edit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=group-name]")).ToHaveValueAsync(name);
        await page.Locator("[data-testid=group-delete]").ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).Query.Contains("group=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(tiles)).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=group-picker]")).ToHaveCountAsync(0);

        // Page changes make no HTTP request the audit middleware sees: the editor writes its own entries.
        var audit = (await fixture.Network.Http.GetFromJsonAsync<JsonElement[]>("api/audit?actor=admin&limit=500"))!
            .Where(e => e.GetProperty("via").GetString() == "web" && e.GetProperty("action").GetString()!.EndsWith("camera group", StringComparison.Ordinal))
            .Select(e => $"{e.GetProperty("action").GetString()}: {e.GetProperty("outcome").GetString()}")
            .ToList();
        Assert.Contains("create camera group: name must be 1 to 60 characters.", audit);
        Assert.Contains("create camera group: saved", audit);
        Assert.Contains("delete camera group: deleted", audit);
    }

    private static async Task<string[]> CamerasAsync(ILocator tiles) =>
        await Task.WhenAll((await tiles.AllAsync()).Select(async t => await t.GetAttributeAsync("data-camera") ?? ""));

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

    [Fact]
    public async Task Live_PhoneWithoutMediaSource_ShowsTheMotionJpegStreamInstead()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "", phone: true);
        // As an older phone's browser: no Media Source Extensions of either kind.
        await page.Context.AddInitScriptAsync("Object.defineProperty(window, 'MediaSource', { value: undefined }); Object.defineProperty(window, 'ManagedMediaSource', { value: undefined });");
        var stream = page.WaitForResponseAsync(r => r.Url.Contains("/media/mjpeg/e2e-node/yard", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(fixture.Web, "live/e2e-node/yard").ToString());
        await Browser.WaitInteractiveAsync(page);

        var response = await stream;
        var pictures = page.Locator("[data-testid=live-mjpeg]");
        await Assertions.Expect(pictures).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=live-mjpeg]').naturalWidth > 0");
        // The picture changes in place (the synthetic camera's moving box): drawn twice, its pixels differ.
        const string Pixels = "() => { const i = document.querySelector('[data-testid=live-mjpeg]'); const c = document.createElement('canvas'); c.width = 64; c.height = 36; c.getContext('2d').drawImage(i, 0, 0, 64, 36); return c.toDataURL(); }";
        var first = await page.EvaluateAsync<string>(Pixels);
        await page.WaitForFunctionAsync($"first => ({Pixels})() !== first", first, new() { Timeout = 15_000 });

        Assert.StartsWith("multipart/x-mixed-replace; boundary=", response.Headers["content-type"], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=live-video]")).ToHaveCountAsync(0);
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the live page scrolls sideways");
        await Browser.ScreenshotAsync(page, "live-mjpeg-phone");
    }
}
