using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Object detection with real processes (issue 14): a node whose camera plays OpenCV's footage of people walking in a
/// street (<c>vtest.avi</c>, Debian opencv-doc) as a <c>file</c> source, the bundled detection plugin on backend
/// <c>opencv-hog</c>: person events reach the server with their labels, and the events page shows and filters them
/// on a phone and a desktop. The server runs central detection (the processor it ships, copied into its processors
/// folder) on the same camera: the node's motion events, which carry no labels, get them from their pictures.
/// </summary>
public sealed class DetectionTests
{
    private const string Footage = MediaFiles.PeopleWalking;

    [Fact]
    public async Task PeopleWalking_OpencvHog_PersonEventsLabelled_FilteredOnTheEventsPage()
    {
        Assert.True(File.Exists(Footage), $"{Footage} is missing: apt install opencv-doc (scripts/test.sh does)");
        using var processors = new TempDirectory("cctvedge-e2e-processors");
        // Recorded clips are H.264 copied from the camera: the footage (MPEG-4 Part 2) is transcoded once, keyframes every second.
        var footage = processors.Combine("walking.mp4");
        await MediaFiles.FfmpegAsync(footage, "-i", Footage, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-g", "7", "-pix_fmt", "yuv420p");
        FolderCopy.Copy(Path.Combine(RepositoryPaths.ServerProcessorsAvailableDirectory, "detection"), processors.Combine("detection"), subfolders: true);
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions
        {
            YardFile = footage,
            RecordMotion = true,
            CameraPlugins = { ["detection"] = new { Backend = "opencv-hog", MinScore = 0.2, MinFrames = 2, LostSeconds = 3 } },
            ServerArguments =
            [
                "--Processors:Directory", processors.Path,
                "--Processors:Settings:detection:Backend", "opencv-hog",
                "--Processors:Settings:detection:Cameras:0", "e2e-node/yard",
                "--Processors:Settings:detection:MinScore", "0.2",
            ],
        });

        // The event, then the picture of its best frame (it follows the event through the outbox).
        var person = await Eventually.GetValueAsync(
            async () => (await network.WaitForEventsAsync(1, TimeSpan.FromSeconds(120), kind: "detection")).FirstOrDefault(e => e.GetProperty("thumbnailUrl").ValueKind == System.Text.Json.JsonValueKind.String) is { ValueKind: System.Text.Json.JsonValueKind.Object } e ? e : (System.Text.Json.JsonElement?)null,
            TimeSpan.FromSeconds(120),
            $"a detection event with its picture; node log:{Environment.NewLine}{network.Node.Output}");

        Assert.Equal("detection", person.GetProperty("pluginId").GetString());
        var label = Assert.Single(person.GetProperty("labels").EnumerateArray());
        Assert.Equal("person", label.GetProperty("label").GetString());
        Assert.InRange(label.GetProperty("score").GetDouble(), 0.2, 1);
        var box = Assert.Single(person.GetProperty("boxes").EnumerateArray()).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(4, box.Length);
        Assert.True(box[3] > box[2], "a person's box stands upright");
        Assert.StartsWith("/media/files/", person.GetProperty("thumbnailUrl").GetString(), StringComparison.Ordinal);

        // Central detection: a motion event labelled by the server from motion's picture of it.
        var motion = await Eventually.GetValueAsync(
            async () => (await network.WaitForEventsAsync(1, TimeSpan.FromSeconds(60))).FirstOrDefault(e => e.GetProperty("labels").GetArrayLength() > 0) is { ValueKind: System.Text.Json.JsonValueKind.Object } e ? e : (System.Text.Json.JsonElement?)null,
            TimeSpan.FromSeconds(120),
            $"a motion event labelled by central detection; server log:{Environment.NewLine}{network.Server.Process.Output}");
        Assert.Equal("motion", motion.GetProperty("pluginId").GetString());
        Assert.Equal("person", Assert.Single(motion.GetProperty("labels").EnumerateArray()).GetProperty("label").GetString());

        await using var browser = await Browser.LaunchAsync();
        foreach (var phone in new[] { true, false })
        {
            var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "events?label=person", phone);
            await Browser.WaitInteractiveAsync(page);
            // A card per event on a phone, a table row on a desktop (the layout settles after the first render).
            var rows = page.Locator(phone ? "[data-testid=event-card]" : "[data-testid=events] tbody tr:has([data-testid=event-row])");
            await Assertions.Expect(rows.First).ToBeVisibleAsync();
            var badge = rows.First.Locator("[data-testid=event-label][data-label=person]");
            await Assertions.Expect(badge).ToBeVisibleAsync();
            await Assertions.Expect(badge).ToContainTextAsync("person");
            // Only labelled rows.
            var count = await rows.CountAsync();
            Assert.Equal(count, await page.Locator(phone ? "[data-testid=event-card]:has([data-label=person])" : "[data-testid=events] tbody tr:has([data-label=person])").CountAsync());
            await Browser.ScreenshotAsync(page, $"detection-{(phone ? "phone" : "desktop")}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {page.ViewportSize!.Width} px");
            await page.CloseAsync();
        }

        // The player draws a labelled event's box over its clip, fitted to the video's own size (768x576 footage).
        var played = await Eventually.GetValueAsync(
            async () => (await network.WaitForEventsAsync(1, TimeSpan.FromSeconds(60))).FirstOrDefault(e => e.GetProperty("labels").GetArrayLength() > 0 && e.GetProperty("clipState").GetString() == "stored") is { ValueKind: System.Text.Json.JsonValueKind.Object } e ? e : (System.Text.Json.JsonElement?)null,
            TimeSpan.FromSeconds(150),
            "a labelled motion event with its clip stored");
        foreach (var phone in new[] { true, false })
        {
            var page = await browser.OpenSignedInAsync(network.Server.WebAddress, $"player/{played.GetProperty("id").GetInt64()}", phone);
            await Browser.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=player-box][data-label=person]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=player-boxes]")).ToHaveAttributeAsync("viewBox", "0 0 768 576");
            await Assertions.Expect(page.Locator("[data-testid=player-boxes]")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, $"detection-player-{(phone ? "phone" : "desktop")}");
            await page.Locator("[data-testid=player-boxes-toggle]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=player-boxes]")).ToBeHiddenAsync();
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/player scrolls sideways at {page.ViewportSize!.Width} px");
            await page.CloseAsync();
        }
    }
}
