using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The review web app in Chromium against a real server and node: player, review, export, live, every page.</summary>
public sealed partial class ReviewAppTests(ReviewNetwork fixture) : IClassFixture<ReviewNetwork>, IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// Each test's pages close with it: an open page keeps its circuit, its live updates and (on the live grid) the
    /// nodes' followed snapshots running, and twenty of them starve the next test's page on two cores.
    /// </summary>
    public Task DisposeAsync() => fixture.Browser.CloseAllAsync();

    [Fact]
    public async Task Player_StoredClip_PlaysAndFrameStepMovesCurrentTimeByOneFrame()
    {
        var eventId = await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, $"player/{eventId}");
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=clip-player]")).ToHaveAttributeAsync("data-fps", "10");

        var times = await page.EvaluateAsync<double[]>(
            """
            async () => {
              const video = document.querySelector('[data-testid=player-video]');
              const seeked = () => new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
              await video.play();
              await new Promise(resolve => setTimeout(resolve, 1200));
              video.pause();
              const played = video.currentTime;
              let done = seeked();
              document.querySelector('[data-testid=frame-forward]').click();
              await done;
              const forward = video.currentTime;
              done = seeked();
              document.querySelector('[data-testid=frame-back]').click();
              await done;
              return [played, forward, video.currentTime];
            }
            """);

        Assert.True(times[0] > 0.5, $"currentTime after playing 1.2 s: {times[0]}");
        // Within a millisecond: rounding both to 3 places failed CI once on 1.2275 against 1.227499.
        Assert.Equal(0.1, times[1] - times[0], 0.001);
        Assert.Equal(times[0], times[2], 0.001);
        await Assertions.Expect(page.Locator("[data-testid=playhead]")).Not.ToHaveAttributeAsync("x1", "0");
        await Browser.ScreenshotAsync(page, "player");
    }

    [Fact]
    public async Task Events_AcknowledgeOne_SurvivesReload()
    {
        var eventId = await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "events");
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=timeline-bar]").First).ToBeVisibleAsync();
        var row = page.Locator($"tr:has([data-testid=event-row][data-event-id='{eventId}'])");

        await row.Locator("[data-testid=event-ack]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=event-acknowledged]")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "events");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"tr:has([data-testid=event-row][data-event-id='{eventId}']) [data-testid=event-acknowledged]")).ToBeVisibleAsync();
        // The prerendered page shows the rows before its circuit is up; a tab click before that would be lost.
        await Browser.WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Thumbnails" }).ClickAsync();
        // At least the event above has a stored clip, so a thumbnail (newer events' clips may still be on their way;
        // and live updates may regroup events, so the tile is not looked up by id). Lazy images load once scrolled to.
        var thumbnail = page.Locator("[data-testid=thumbnail-tile] img").First;
        await thumbnail.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(thumbnail).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "events-thumbnails");
    }

    [Fact]
    public async Task Export_ZipAndServerFolder_HoldTheStoredClipsWithVerifiedChecksums()
    {
        await Eventually.GetAsync(async () => (await fixture.StoredClipsAsync()).Length >= 2 ? new object() : null, Long, "two stored clips");
        var storedBefore = (await fixture.StoredClipsAsync()).ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("sha256").GetString()!);
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "export");
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=export-plan]")).Not.ToHaveTextAsync("0 clip(s), 0 KB");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-zip]"));
        var zipPath = Path.Combine(Path.GetTempPath(), $"cctvedge-export-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(zipPath);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var clips = zip.Entries.Where(e => e.FullName.EndsWith(".mp4", StringComparison.Ordinal)).ToDictionary(e => Path.GetFileNameWithoutExtension(e.Name), e => e);
            Assert.Superset(storedBefore.Keys.ToHashSet(), clips.Keys.ToHashSet());
            Assert.NotNull(zip.GetEntry("manifest.json"));
            var sums = ReadLines(zip.GetEntry("SHA256SUMS")!).Select(l => l.Split("  ")).ToDictionary(p => p[1], p => p[0]);
            foreach (var (id, entry) in clips)
            {
                using var stream = entry.Open();
                var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
                Assert.Equal(sums[entry.FullName], hash);
                Assert.StartsWith("e2e-node/yard/", entry.FullName, StringComparison.Ordinal);
                if (storedBefore.TryGetValue(id, out var expected))
                {
                    Assert.Equal(expected, hash);
                }
            }
        }
        finally
        {
            File.Delete(zipPath);
        }

        await page.FillAsync("[data-testid=export-name] input, input[data-testid=export-name]", "e2e-export");
        await page.ClickAsync("[data-testid=export-copy]");
        await Assertions.Expect(page.Locator("[data-testid=export-state]")).ToHaveAttributeAsync("data-state", "Done", new() { Timeout = 60_000 });
        await Browser.ScreenshotAsync(page, "export");
        var folder = Path.Combine(fixture.ExportDirectory, "e2e-export");
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "SHA256SUMS")))
        {
            var parts = line.Split("  ");
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, parts[1])))));
        }
    }

    [Fact]
    public async Task ClipAndSnapshotUrls_SignedOut_Refused()
    {
        await fixture.EventWithStoredClipAsync();
        var clipUrl = (await fixture.StoredClipsAsync())[0].GetProperty("url").GetString()!;
        using var visitor = WebSignIn.NewClient(fixture.Web);

        foreach (var url in new[] { clipUrl, "/media/snapshots/e2e-node/yard.jpg", "/api/events", "/media/live/e2e-node/yard" })
        {
            using var response = await visitor.GetAsync(url).WaitAsync(Long);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{url}: {response.StatusCode}");
        }

        // The browser of someone who has not signed in: the clip is refused, a page sends them to sign in.
        var page = await fixture.Browser.OpenAsync(new Uri(fixture.Web, "healthz"));
        Assert.Equal(401, (await page.Context.APIRequest.GetAsync(new Uri(fixture.Web, clipUrl.TrimStart('/')).ToString())).Status);
        await page.GotoAsync(new Uri(fixture.Web, "events").ToString());
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_Viewer_PlaysWithLatencyAndNodeStopsWhenViewerLeaves()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "live/e2e-node/yard");
        await Browser.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("[data-testid=live-latency]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d s$"), new() { Timeout = 60_000 });
        var playing = await page.EvaluateAsync<double>("() => new Promise(r => setTimeout(() => r(document.querySelector('[data-testid=live-video]').currentTime), 1500))");
        Assert.True(playing > 0, $"live video currentTime {playing}");
        var latency = double.Parse((await page.Locator("[data-testid=live-latency]").GetAttributeAsync("data-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
        // Fragments of the segment being written, not whole segments: well under the two seconds those took.
        Assert.InRange(latency, 0, 5_000);
        var feed = Assert.Single((await fixture.Network.Http.GetFromJsonAsync<JsonElement[]>("api/live"))!);
        Assert.Equal(1, feed.GetProperty("viewers").GetInt32());
        await Browser.ScreenshotAsync(page, "live");

        await page.ClickAsync("[data-testid=nav] >> text=Overview");
        await Eventually.GetAsync(async () => (await fixture.Network.Http.GetFromJsonAsync<JsonElement[]>("api/live"))!.Length == 0 ? new object() : null, Long, "the viewer to leave");
        await Eventually.TrueAsync(() => fixture.Network.Node.Output.Contains("Live view of camera yard stopped", StringComparison.Ordinal), Long, "the node to stop streaming");
    }

    [Fact]
    public async Task Pages_StorageNotificationsUsersOverview_ShowDataAndAreSaved()
    {
        await fixture.EventWithStoredClipAsync();
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web);
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=node][data-node-id=e2e-node]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=disk-pie]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=unacknowledged]")).ToContainTextAsync("unacknowledged");
        await Browser.ScreenshotAsync(page, "overview-signed-in");

        await page.GotoAsync(new Uri(fixture.Web, "storage").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=growth-chart] path").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("[data-testid=camera-heatmap-row][data-camera='e2e-node.yard']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=disk-name]").First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "storage");

        await page.GotoAsync(new Uri(fixture.Web, "notifications").ToString());
        await Assertions.Expect(page.Locator("[data-testid=notification]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Browser.ScreenshotAsync(page, "notifications");

        await page.GotoAsync(new Uri(fixture.Web, "users").ToString());
        await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync(WebSignIn.AdminName);
        await Browser.ScreenshotAsync(page, "users");
    }

    private static List<string> ReadLines(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
