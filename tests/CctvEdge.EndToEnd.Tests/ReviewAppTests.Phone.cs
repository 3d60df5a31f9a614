using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>Every page on a phone (390x844, touch) and on a desktop, and what phones need: menu, cards, pinch, touch-sized controls, theme, install.</summary>
public sealed partial class ReviewAppTests
{
    private static readonly string[] Pages = ["", "events", "live", "sensors", "storage", "export", "notifications", "notifications/settings", "tokens", "fleet", "users", "live/wall"];

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

        foreach (var (text, path) in new[] { ("Events", "/events"), ("Live", "/live"), ("Map", "/map"), ("Storage", "/storage"), ("Export", "/export"), ("Notifications", "/notifications"), ("Tokens", "/tokens"), ("Fleet", "/fleet"), ("Users", "/users"), ("Overview", "/") })
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
    public async Task Storage_DesktopAndPhone_ChartsFitAndTheCameraDaysOpenOnTheNewestWithNamesInView(bool phone)
    {
        await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "storage", phone);
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=camera-heatmap-row][data-camera='e2e-node.yard']")).ToBeVisibleAsync();
        var width = page.ViewportSize!.Width;

        // 30 days of 18 px columns are wider than a phone: the newest day (today, with the clip) is in view without scrolling.
        var newest = await page.Locator("[data-testid=camera-heatmap] thead th").Last.BoundingBoxAsync();
        Assert.True(newest!.X >= 0 && newest.X + newest.Width <= width, $"the newest day is at {newest.X}..{newest.X + newest.Width} of {width} px");
        var sizes = await page.Locator(".camera-heatmap-scroll").EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
        Assert.Equal(phone, sizes[0] > sizes[1]);

        // Scrolled to the newest days, the camera's name stays at the left edge above the oldest ones.
        var name = await page.Locator("[data-testid=camera-heatmap-row][data-camera='e2e-node.yard'] th").BoundingBoxAsync();
        Assert.True(name!.X >= 0 && name.X + name.Width <= width / 2, $"the camera name is at {name.X}..{name.X + name.Width} of {width} px");
        foreach (var chart in await page.Locator(".rz-chart svg").AllAsync())
        {
            var chartBox = await chart.BoundingBoxAsync();
            Assert.True(chartBox!.X >= 0 && chartBox.X + chartBox.Width <= width, $"a chart spans {chartBox.X}..{chartBox.X + chartBox.Width} of {width} px");
        }

        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the storage page scrolls sideways");
        await Browser.ScreenshotAsync(page, phone ? "storage-scrolled-phone" : "storage-scrolled");
    }

    [Fact]
    public async Task Events_Phone_CardsWithTouchSizedAcknowledgeAndBulkActionsInReach()
    {
        await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "events", phone: true);
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=events]")).ToHaveCountAsync(0);
        var first = page.Locator("[data-testid=event-card]").First;
        await Assertions.Expect(first).ToBeVisibleAsync();
        // Live updates put new events on top: follow this one by id.
        var card = page.Locator($"[data-testid=event-card][data-event-id='{await first.GetAttributeAsync("data-event-id")}']");
        var acknowledged = await card.Locator("[data-testid=event-acknowledged]").CountAsync() > 0;

        var ack = card.Locator("[data-testid=event-ack]");
        var box = (await ack.BoundingBoxAsync())!;
        Assert.True(box.Width >= 44 && box.Height >= 44, $"the acknowledge button is {box.Width}x{box.Height} px");
        await ack.TapAsync();
        await Assertions.Expect(card.Locator("[data-testid=event-acknowledged]")).ToHaveCountAsync(acknowledged ? 0 : 1);
        await ack.TapAsync();
        await Assertions.Expect(card.Locator("[data-testid=event-acknowledged]")).ToHaveCountAsync(acknowledged ? 1 : 0);

        // Bulk actions wrap instead of being cut: every button whole and inside the screen.
        await card.Locator("[data-testid=event-select]").TapAsync();
        foreach (var action in new[] { "bulk-acknowledge", "bulk-flag", "bulk-unflag", "bulk-delete" })
        {
            var button = page.Locator($"[data-testid={action}]");
            await Assertions.Expect(button).ToBeEnabledAsync();
            var bounds = (await button.BoundingBoxAsync())!;
            Assert.True(bounds.X >= 0 && bounds.X + bounds.Width <= 390, $"{action} spans {bounds.X}..{bounds.X + bounds.Width} px");
            Assert.Equal(await button.EvaluateAsync<int>("b => b.scrollWidth"), await button.EvaluateAsync<int>("b => b.clientWidth"));
        }

        var flagged = await card.Locator("[data-testid=event-flagged]").CountAsync() > 0;
        await page.Locator(flagged ? "[data-testid=bulk-unflag]" : "[data-testid=bulk-flag]").TapAsync();
        await Assertions.Expect(card.Locator("[data-testid=event-flagged]")).ToHaveCountAsync(flagged ? 0 : 1);
        await card.Locator("[data-testid=event-flag]").TapAsync();
        await Assertions.Expect(card.Locator("[data-testid=event-flagged]")).ToHaveCountAsync(flagged ? 1 : 0);
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the events page scrolls sideways");
    }

    [Fact]
    public async Task Timeline_Desktop_DragZoomsIntoTheStretchAndWholeDayZoomsOut()
    {
        await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "events");
        await Browser.WaitInteractiveAsync(page);
        var timeline = page.Locator("[data-testid=timeline]");
        await Assertions.Expect(timeline).ToHaveAttributeAsync("data-span-minutes", "1440");
        var row = (await page.Locator("[data-testid=timeline-row] svg").First.BoundingBoxAsync())!;

        // From 06:00 to 12:00: a quarter to a half of the row.
        await page.Mouse.MoveAsync(row.X + row.Width * 0.25f, row.Y + row.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(row.X + row.Width * 0.375f, row.Y + row.Height / 2, new() { Steps = 5 });
        await page.Mouse.MoveAsync(row.X + row.Width * 0.5f, row.Y + row.Height / 2, new() { Steps = 5 });
        await page.Mouse.UpAsync();

        await Assertions.Expect(timeline).ToHaveAttributeAsync("data-span-minutes", "360");
        Assert.StartsWith("/events", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=timeline]").GetByText("09:00")).ToBeVisibleAsync();
        await page.Locator("[data-testid=timeline-reset]").ClickAsync();
        await Assertions.Expect(timeline).ToHaveAttributeAsync("data-span-minutes", "1440");
    }

    [Fact]
    public async Task Timeline_Phone_StacksFullWidthAndPinchZooms()
    {
        await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "events", phone: true);
        await Browser.WaitInteractiveAsync(page);
        var timeline = page.Locator("[data-testid=timeline]");
        var label = (await page.Locator("[data-testid=timeline-row] .timeline-label").First.BoundingBoxAsync())!;
        var row = (await page.Locator("[data-testid=timeline-row] svg").First.BoundingBoxAsync())!;
        Assert.True(label.Y + label.Height <= row.Y + 1, "the camera's name stands above its row");
        Assert.True(row.Width >= 300, $"the row is {row.Width} px wide on a 390 px screen");

        // Two fingers from 40 px apart to 160 px apart: four times closer, a quarter of the day (6 h).
        var y = row.Y + row.Height / 2;
        var centre = row.X + row.Width / 2;
        var surface = page.Locator("[data-testid=timeline]");
        async Task Pointer(string type, int id, double x) => await surface.DispatchEventAsync(type, new { pointerId = id, pointerType = "touch", isPrimary = id == 1, clientX = x, clientY = (double)y, bubbles = true, button = 0 });
        await Pointer("pointerdown", 1, centre - 20);
        await Pointer("pointerdown", 2, centre + 20);
        for (var spread = 30; spread <= 80; spread += 10)
        {
            await Pointer("pointermove", 1, centre - spread);
            await Pointer("pointermove", 2, centre + spread);
        }

        await Pointer("pointerup", 1, centre - 80);
        await Pointer("pointerup", 2, centre + 80);
        await Assertions.Expect(timeline).ToHaveAttributeAsync("data-span-minutes", "360");
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the zoomed timeline scrolls sideways");
        await Browser.ScreenshotAsync(page, "timeline-zoomed-phone");
    }

    [Fact]
    public async Task Player_Phone_TouchSizedControlsAndAFrameStepByTap()
    {
        var eventId = await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, $"player/{eventId}", phone: true);
        await Browser.WaitInteractiveAsync(page);
        var video = page.Locator("[data-testid=player-video]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=player-video]').readyState >= 1");
        foreach (var control in new[] { "frame-back", "play", "frame-forward" })
        {
            var box = (await page.Locator($"[data-testid={control}]").BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 44, $"{control} is {box.Width}x{box.Height} px");
        }

        var fps = double.Parse((await page.Locator("[data-testid=clip-player]").GetAttributeAsync("data-fps"))!, CultureInfo.InvariantCulture);
        var before = await video.EvaluateAsync<double>("v => v.currentTime");
        await page.Locator("[data-testid=frame-forward]").TapAsync();
        await page.Locator("[data-testid=frame-forward]").TapAsync();
        await page.WaitForFunctionAsync($"() => Math.abs(document.querySelector('[data-testid=player-video]').currentTime - {(before + 2 / fps).ToString(CultureInfo.InvariantCulture)}) < 0.001");
        await page.Locator("[data-testid=frame-back]").TapAsync();
        await page.WaitForFunctionAsync($"() => Math.abs(document.querySelector('[data-testid=player-video]').currentTime - {(before + 1 / fps).ToString(CultureInfo.InvariantCulture)}) < 0.001");
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the player scrolls sideways");
    }

    [Fact]
    public async Task Theme_FollowsTheSystemAndTheSwitchOverridesItAcrossReloads()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "events");
        await Browser.WaitInteractiveAsync(page);
        var toggle = page.Locator("[data-testid=theme-toggle]");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "system");

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.True(await IsDarkAsync(page), "system dark: the page is dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.False(await IsDarkAsync(page), "system light: the page is light");

        // Forced dark on a light system, kept after a reload (cookie); then forced light on a dark system.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
        Assert.True(await IsDarkAsync(page), "forced dark on a light system");
        await Browser.ScreenshotAsync(page, "events-dark");
        await page.ReloadAsync();
        await Browser.WaitInteractiveAsync(page);
        Assert.True(await IsDarkAsync(page), "forced dark after a reload");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.False(await IsDarkAsync(page), "forced light on a dark system");
    }

    [Fact]
    public async Task Installable_ManifestIconsAndServiceWorker_OfflineSaysSo()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "", phone: true);
        await Browser.WaitInteractiveAsync(page);
        var manifestUrl = await page.Locator("link[rel=manifest]").EvaluateAsync<string>("l => l.href");
        var manifest = await page.APIRequest.GetAsync(manifestUrl);
        Assert.True(manifest.Ok);
        var json = (await manifest.JsonAsync())!.Value;
        Assert.Equal("CctvEdge", json.GetProperty("name").GetString());
        Assert.Equal("standalone", json.GetProperty("display").GetString());
        Assert.Equal("/", json.GetProperty("start_url").GetString());
        var sizes = new List<string>();
        foreach (var icon in json.GetProperty("icons").EnumerateArray())
        {
            var response = await page.APIRequest.GetAsync(new Uri(fixture.Web, icon.GetProperty("src").GetString()).ToString());
            Assert.True(response.Ok, icon.GetProperty("src").GetString());
            Assert.StartsWith("image/", response.Headers["content-type"], StringComparison.Ordinal);
            sizes.Add(icon.GetProperty("sizes").GetString()!);
        }

        Assert.Contains("192x192", sizes);
        Assert.Contains("512x512", sizes);

        // The worker controls the page once installed; with the network gone a page says the server is unreachable.
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        await page.Context.SetOfflineAsync(true);
        try
        {
            await page.GotoAsync(new Uri(fixture.Web, "events").ToString());
            await Assertions.Expect(page.Locator("[data-testid=offline]")).ToContainTextAsync("server unreachable");
            await Browser.ScreenshotAsync(page, "offline-phone");
        }
        finally
        {
            await page.Context.SetOfflineAsync(false);
        }

        await page.Locator("[data-testid=offline-retry]").TapAsync();
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToBeVisibleAsync();
    }

    /// <summary>Whether the page's background is dark (luminance under a half), whichever element paints it.</summary>
    private static Task<bool> IsDarkAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
          for (const element of [document.querySelector('.rz-body'), document.body, document.documentElement]) {
            const colour = element && getComputedStyle(element).backgroundColor;
            const rgb = colour && colour.match(/\d+(\.\d+)?/g);
            if (!rgb || (rgb.length === 4 && Number(rgb[3]) === 0)) continue;
            return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255 < 0.5;
          }
          return false;
        }
        """);
}
