using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Motion zones drawn over the camera's snapshot on the configuration page (polygon.js), on a desktop with a mouse and
/// on a 390 px phone with taps, saved as configuration versions that the real node accepts.
/// </summary>
public sealed class ZoneDrawingTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConfigurationPage_ZoneDrawnOverTheSnapshot_DesktopAndPhone_SavedAndAppliedByTheNode()
    {
        await using var network = await DemoNetwork.StartAsync();
        await Eventually.TrueAsync(async () => (await network.Http.GetAsync("api/nodes/e2e-node/config")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the node's configuration to be reported");
        await Eventually.TrueAsync(async () => (await network.Http.GetStringAsync("api/nodes/e2e-node/plugins")).Contains("\"Points\"", StringComparison.Ordinal), Soon, "the motion plugin's settings schema");
        await Eventually.TrueAsync(async () => (await network.Http.GetAsync("media/snapshots/e2e-node/yard.jpg")).StatusCode == HttpStatusCode.OK, Soon, "the yard camera's first snapshot");
        await using var browser = await Browser.LaunchAsync();

        // Desktop, 1400 px: four clicks on the picture, a name, a click on the first corner closes it; a corner dragged.
        var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "nodes/e2e-node/config");
        await Browser.WaitInteractiveAsync(page);
        var zones = Zones(page);
        await Assertions.Expect(zones.Locator("[data-testid=polygon-picture]")).ToBeVisibleAsync();
        await zones.Locator("[data-testid=polygon-draw]").ClickAsync();
        var canvas = zones.Locator("[data-testid=polygon-canvas]");
        await canvas.ScrollIntoViewIfNeededAsync();
        double[][] corners = [[0.2, 0.2], [0.7, 0.2], [0.7, 0.8], [0.2, 0.8]];
        for (var i = 0; i < corners.Length; i++)
        {
            var (x, y) = await AtAsync(canvas, corners[i][0], corners[i][1]);
            await page.Mouse.ClickAsync(x, y);
            // Each corner goes through the circuit: wait for it before the next, as a person would see it appear.
            await Assertions.Expect(zones.Locator("[data-testid=polygon-draft-handle]")).ToHaveCountAsync(i + 1);
        }

        await NameDraftAsync(zones, "driveway");
        await zones.Locator("[data-testid=polygon-draft-handle]").First.ClickAsync();
        await Assertions.Expect(zones.Locator("[data-testid=polygon-handle]")).ToHaveCountAsync(4);
        await Assertions.Expect(zones.Locator("[data-testid=polygon-row]")).ToHaveCountAsync(1);

        // The third corner dragged from (0.7, 0.8) to (0.8, 0.9).
        var (fromX, fromY) = await AtAsync(canvas, 0.7, 0.8);
        var (toX, toY) = await AtAsync(canvas, 0.8, 0.9);
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(toX, toY, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(zones.Locator("[data-testid=polygon-handle][data-point='2']")).ToHaveAttributeAsync("data-x", new System.Text.RegularExpressions.Regex("^0\\.(79|8|80)"));

        await SaveAsync(page, network, 2);
        var first = await ZonesAsync(network);
        var driveway = Assert.Single(first);
        Assert.Equal("driveway", driveway.GetProperty("Name").GetString());
        AssertCorners([[0.2, 0.2], [0.7, 0.2], [0.8, 0.9], [0.2, 0.8]], driveway);
        await Browser.ScreenshotAsync(page, "node-config-zone");

        // Phone, 390 px: taps, the Close button, no sideways scroll.
        var phone = await browser.OpenSignedInAsync(network.Server.WebAddress, "nodes/e2e-node/config", phone: true);
        await Browser.WaitInteractiveAsync(phone);
        var phoneZones = Zones(phone);
        await Assertions.Expect(phoneZones.Locator("[data-testid=polygon-handle]")).ToHaveCountAsync(4);
        await phoneZones.Locator("[data-testid=polygon-draw]").ClickAsync();
        var phoneCanvas = phoneZones.Locator("[data-testid=polygon-canvas]");
        await phoneCanvas.ScrollIntoViewIfNeededAsync();
        // Left of the driveway; the third corner about 25 px from the others, where a finger often lands.
        double[][] triangle = [[0.03, 0.3], [0.15, 0.3], [0.09, 0.42]];
        for (var i = 0; i < triangle.Length; i++)
        {
            var (x, y) = await AtAsync(phoneCanvas, triangle[i][0], triangle[i][1]);
            await phone.Touchscreen.TapAsync((float)x, (float)y);
            await Assertions.Expect(phoneZones.Locator("[data-testid=polygon-draft-handle]")).ToHaveCountAsync(i + 1);
        }

        await NameDraftAsync(phoneZones, "gate");
        await phoneZones.Locator("[data-testid=polygon-close]").ClickAsync();
        await Assertions.Expect(phoneZones.Locator("[data-testid=polygon-row]")).ToHaveCountAsync(2);
        Assert.False(await Browser.OverflowsSidewaysAsync(phone), "the configuration page with its zone editor scrolls sideways on a phone");
        await Browser.ScreenshotAsync(phone, "node-config-zone-phone");
        await SaveAsync(phone, network, 3);
        var both = await ZonesAsync(network);
        Assert.Equal(["driveway", "gate"], both.Select(z => z.GetProperty("Name").GetString()));
        AssertCorners(triangle, both[1]);
        Assert.False(network.Node.HasExited);
    }

    private static ILocator Zones(IPage page) =>
        page.Locator("[data-testid=camera-editor][data-camera-id=yard] [data-testid=camera-plugin][data-plugin-id=motion] [data-testid=setting][data-setting=Zones]");

    private static async Task NameDraftAsync(ILocator zones, string name)
    {
        var box = zones.Locator("input[data-testid=polygon-draft-name], [data-testid=polygon-draft-name] input").First;
        await box.FillAsync(name);
        await box.PressAsync("Tab");
    }

    /// <summary>Saves the yard camera and waits until the node runs that version (it refuses zones it cannot use).</summary>
    private static async Task SaveAsync(IPage page, DemoNetwork network, long version)
    {
        var yard = page.Locator("[data-testid=camera-editor][data-camera-id=yard]");
        await Assertions.Expect(yard).ToHaveAttributeAsync("data-dirty", "true");
        await yard.Locator("[data-testid=camera-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=config-outcome]")).ToContainTextAsync($"Saved as version {version}; sent to the node");
        var config = await Eventually.GetValueAsync<JsonElement>(
            async () => await ConfigAsync(network) is var c && (c.GetProperty("appliedVersion").GetInt64() == version || (c.TryGetProperty("refusedVersion", out var r) && r.ValueKind == JsonValueKind.Number && r.GetInt64() == version)) ? c : null,
            Soon,
            $"the node to apply or refuse version {version}");
        Assert.True(config.GetProperty("appliedVersion").GetInt64() == version, $"the node refused version {version}: {(config.TryGetProperty("refusedReason", out var why) ? why.GetString() : "")}");
    }

    private static async Task<JsonElement[]> ZonesAsync(DemoNetwork network) =>
        [.. (await ConfigAsync(network)).GetProperty("cameras")[0].GetProperty("Plugins").GetProperty("motion").GetProperty("Zones").EnumerateArray()];

    private static void AssertCorners(double[][] expected, JsonElement zone)
    {
        var points = zone.GetProperty("Points").EnumerateArray().Select(p => p.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
        Assert.Equal(expected.Length, points.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            // A click lands on a whole CSS pixel: within 1 % of the picture.
            Assert.InRange(points[i][0], expected[i][0] - 0.01, expected[i][0] + 0.01);
            Assert.InRange(points[i][1], expected[i][1] - 0.01, expected[i][1] + 0.01);
        }
    }

    /// <summary>The page position of a fraction of the element.</summary>
    private static async Task<(float X, float Y)> AtAsync(ILocator element, double x, double y)
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("the drawing area is not on the page");
        return ((float)(box.X + (x * box.Width)), (float)(box.Y + (y * box.Height)));
    }

    private static async Task<JsonElement> ConfigAsync(DemoNetwork network) => await network.Http.GetFromJsonAsync<JsonElement>("api/nodes/e2e-node/config");
}
