using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// A metered link's upload policy with real processes (issue 18): a node whose clips go on demand only, outside its
/// upload window, under a daily budget. Its events reach the server, no clip leaves the node by itself, the overview
/// says why; on a phone and a desktop an event is fetched from the node with its button and plays, and the bytes it
/// took are counted against the day's budget.
/// </summary>
public sealed class MeteredLinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const long Budget = 20L * 1024 * 1024;

    [Fact]
    public async Task OnDemand_EventsFlowNoClipLeaves_AFetchedEventPlaysAndCountsAgainstTheBudget()
    {
        // A window that is closed now (node time is this machine's): it must not hold a reviewer's fetch.
        var now = DateTime.Now;
        var closed = string.Create(CultureInfo.InvariantCulture, $"{now.AddHours(2):HH:00}-{now.AddHours(3):HH:00}");
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions
        {
            RecordMotion = true,
            UploadPolicy = new { Clips = "on-demand", Windows = new[] { closed }, DailyBudgetMegabytes = 20 },
        });

        var events = await network.WaitForEventsAsync(2, Timeout);
        var kept = await Eventually.GetValueAsync(async () =>
        {
            var policy = (await network.NodeStatusAsync()).GetProperty("uploads").GetProperty("policy");
            return policy.ValueKind == JsonValueKind.Object && policy.GetProperty("keptOnNode").GetInt64() >= 1 ? policy : (JsonElement?)null;
        }, Timeout, $"the node to report a clip kept on it; node log:{Environment.NewLine}{network.Node.Output}");

        Assert.True(events.Length >= 2);
        Assert.Equal("on-demand", kept.GetProperty("clips").GetString());
        Assert.Equal([closed], kept.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
        Assert.False(kept.GetProperty("windowOpen").GetBoolean());
        Assert.Equal(Budget, kept.GetProperty("budgetBytes").GetInt64());
        Assert.Equal(0, kept.GetProperty("usedBytes").GetInt64());
        Assert.Empty(await network.ClipsAsync());

        await using var browser = await Browser.LaunchAsync();
        var fetched = 0;
        foreach (var phone in new[] { true, false })
        {
            var overview = await browser.OpenSignedInAsync(network.Server.WebAddress, "", phone);
            await Browser.WaitInteractiveAsync(overview);
            var summary = overview.Locator("[data-testid=node][data-node-id=e2e-node] [data-testid=upload-policy]");
            await Assertions.Expect(summary.Locator("[data-testid=upload-policy-clips]")).ToContainTextAsync($"clips on demand only");
            await Assertions.Expect(summary.Locator("[data-testid=upload-budget]")).ToContainTextAsync("of 20 MB sent today");
            await Assertions.Expect(summary.Locator("[data-testid=upload-kept]")).ToContainTextAsync("kept on the node");
            Assert.False(await Browser.OverflowsSidewaysAsync(overview), $"the overview scrolls sideways at {overview.ViewportSize!.Width} px");
            await overview.CloseAsync();

            var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "events", phone);
            await Browser.WaitInteractiveAsync(page);
            var before = await page.Locator("[data-testid=retrieval]").CountAsync();
            await page.Locator("[data-testid=event-fetch]").First.ClickAsync(new() { Timeout = 60_000 });

            await Assertions.Expect(page.Locator("[data-testid=retrieval]")).ToHaveCountAsync(before + 1);
            fetched++;
            var retrieval = page.Locator("[data-testid=retrieval]").First;
            await Assertions.Expect(retrieval).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 120_000 });
            await Assertions.Expect(retrieval.Locator("[data-testid=retrieval-play]")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, $"metered-fetch-{(phone ? "phone" : "desktop")}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {page.ViewportSize!.Width} px");
            await page.CloseAsync();
        }

        // Only what was asked for left the node, and the day's budget counts exactly its bytes.
        var clips = await network.ClipsAsync();
        Assert.Equal(fetched, clips.Length);
        Assert.All(clips, c => Assert.Equal("retrieval", c.GetProperty("reason").GetString()));
        var sent = clips.Sum(c => c.GetProperty("size").GetInt64());
        await Eventually.TrueAsync(async () =>
            (await network.NodeStatusAsync()).GetProperty("uploads").GetProperty("policy").GetProperty("usedBytes").GetInt64() == sent,
            Timeout, $"the node to count the {sent} bytes it sent against its budget");
    }
}
