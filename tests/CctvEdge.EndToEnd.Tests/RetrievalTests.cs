using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Video fetched from the node's own store (issue 18) with real processes: the node reports the video it holds, a
/// range of it asked through <c>POST /api/retrievals</c> comes back as a playable clip with reason <c>retrieval</c>,
/// and a range the node does not hold is refused saying what it holds; then the events page in Chromium, on a phone and
/// a desktop: the row's video on the node and on the server shaded, and a stretch fetched from the node's list until it
/// plays.
/// </summary>
public sealed class RetrievalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RangeTheNodeHolds_ComesBackAsAClip_ARangeItDoesNotIsRefused()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { RecordMotion = true });
        var held = await Eventually.GetValueAsync(async () =>
        {
            // 404 until the node's hello makes its camera known.
            using var response = await network.Http.GetAsync("api/nodes/e2e-node/cameras/yard/recorded");
            var runs = response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement[]>();
            return runs is [.., var last] && last.GetProperty("to").GetDateTimeOffset() - runs[0].GetProperty("from").GetDateTimeOffset() >= TimeSpan.FromSeconds(12)
                ? (From: runs[0].GetProperty("from").GetDateTimeOffset(), To: last.GetProperty("to").GetDateTimeOffset())
                : ((DateTimeOffset From, DateTimeOffset To)?)null;
        }, Timeout, $"12 s of video reported by the node; node log:{Environment.NewLine}{network.Node.Output}");

        var (from, to) = (held.To.AddSeconds(-10), held.To.AddSeconds(-4));
        using var asked = await network.Http.PostAsJsonAsync("api/retrievals", new { node = "e2e-node", camera = "yard", from, to });
        var id = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var done = await Eventually.GetValueAsync(async () =>
        {
            var retrieval = await network.Http.GetFromJsonAsync<JsonElement>($"api/retrievals/{id}");
            Assert.NotEqual("refused", retrieval.GetProperty("state").GetString());
            return retrieval.GetProperty("state").GetString() == "done" ? retrieval : (JsonElement?)null;
        }, Timeout, $"the retrieval to be done; node log:{Environment.NewLine}{network.Node.Output}");
        var clip = (await network.ClipsAsync()).Single(c => c.GetProperty("id").GetString() == id);
        using var temp = new TempDirectory();
        var file = temp.Combine("retrieved.mp4");
        await File.WriteAllBytesAsync(file, await network.Http.GetByteArrayAsync(done.GetProperty("clipUrl").GetString()!.TrimStart('/')));
        var probe = await MediaFiles.ProbeAsync(file);

        using var gone = await network.Http.PostAsJsonAsync("api/retrievals", new { node = "e2e-node", camera = "yard", from = held.From.AddHours(-2), to = held.From.AddHours(-2).AddMinutes(1) });
        var refusal = await gone.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal("retrieval", clip.GetProperty("reason").GetString());
        // Cut by copy on segment boundaries: the clip covers the range asked, give or take a segment (2 s).
        Assert.InRange(clip.GetProperty("start").GetDateTimeOffset(), from.AddSeconds(-3), from.AddSeconds(0.5));
        Assert.InRange(clip.GetProperty("end").GetDateTimeOffset(), to.AddSeconds(-0.5), to.AddSeconds(3));
        Assert.Equal("h264", probe.Codec);
        Assert.InRange(probe.DurationSeconds, 5, 11);
        Assert.Equal(HttpStatusCode.Conflict, gone.StatusCode);
        Assert.Contains("no longer holds", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await using var browser = await Browser.LaunchAsync();
        foreach (var phone in new[] { true, false })
        {
            var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "events", phone);
            await Browser.WaitInteractiveAsync(page);
            var row = page.Locator("[data-testid=timeline-row][data-camera='e2e-node.yard']");
            await Assertions.Expect(row.Locator("[data-testid=timeline-video-node]").First).ToBeAttachedAsync();
            await Assertions.Expect(row.Locator("[data-testid=timeline-video-server]").First).ToBeAttachedAsync();
            var before = await page.Locator("[data-testid=retrieval]").CountAsync();

            await page.Locator("[data-testid=node-video][data-camera='e2e-node.yard'] [data-testid=node-video-fetch]").First.ClickAsync();
            await page.Locator("[data-testid=retrieval-minutes]").FillAsync("1");
            await page.Locator("[data-testid=retrieval-submit]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=retrieval]")).ToHaveCountAsync(before + 1);
            var fetched = page.Locator("[data-testid=retrieval]").First;
            await Assertions.Expect(fetched).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 120_000 });
            await Assertions.Expect(fetched.Locator("[data-testid=retrieval-play]")).ToHaveAttributeAsync("href", $"player/clip/{await fetched.GetAttributeAsync("data-id")}");
            await Browser.ScreenshotAsync(page, $"retrievals-{(phone ? "phone" : "desktop")}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {page.ViewportSize!.Width} px");
            await page.CloseAsync();
        }
    }
}
