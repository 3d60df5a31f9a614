using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The walking skeleton end to end: real server, real node with ffmpeg, real browser.</summary>
public sealed class DemoNetworkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Overview_SyntheticCameraMoves_NodeCameraSnapshotAndEventsShownAndNewEventsArriveLive()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { BrokenPlugin = true });
        var events = await network.WaitForEventsAsync(1, EventTimeout);
        output.WriteLine($"first event stored {(DateTimeOffset.UtcNow - network.StartedAt).TotalSeconds:0.0} s after the processes started");
        Assert.Equal("yard", events[0].GetProperty("cameraId").GetString());

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenSignedInAsync(network.Server.WebAddress);
        var node = page.Locator("[data-testid=node][data-node-id=e2e-node]");
        await Assertions.Expect(node.Locator("[data-testid=node-name]")).ToHaveTextAsync("E2E node");
        await Assertions.Expect(node.Locator("[data-testid=node-state]")).ToHaveTextAsync("online", new() { IgnoreCase = true });
        await Assertions.Expect(node.Locator("[data-testid=camera][data-camera-id=yard] [data-testid=camera-name]")).ToHaveTextAsync("Yard");
        await Assertions.Expect(node.Locator("[data-testid=snapshot]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=event-camera]").First).ToHaveTextAsync("Yard");

        // The broken plugin and its missing instance are reported while motion keeps producing events.
        await Assertions.Expect(node.Locator("[data-testid=plugin-failed]").First).ToContainTextAsync("broken");

        // A snapshot is a real JPEG of the camera.
        var snapshot = await node.Locator("[data-testid=snapshot]").GetAttributeAsync("src");
        var bytes = await network.Http.GetByteArrayAsync(snapshot);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);

        // New events reach the open page without a reload: the synthetic box crosses the picture every 20 s.
        var before = await page.Locator("[data-testid=event-time]").AllTextContentsAsync();
        await Browser.ScreenshotAsync(page, "overview");
        await Assertions.Expect(page.Locator("[data-testid=event-time]").First).Not.ToHaveTextAsync(before[0], new() { Timeout = 60_000 });
        var after = await page.Locator("[data-testid=event-time]").AllTextContentsAsync();
        Assert.True(after.Count > before.Count || after[0] != before[0]);
        await Browser.ScreenshotAsync(page, "overview-live");
    }

    [Fact]
    public async Task ClipUrl_StoredClip_PlaysInChromiumAndSeeks()
    {
        // The node lists a server that is gone first: it fails over, and its clips follow its session.
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { ContinuousClipSeconds = 4, DeadServerFirst = true });
        var clip = await CctvEdge.Testing.Eventually.GetValueAsync(async () =>
            (await network.ClipsAsync()).FirstOrDefault(c => c.GetProperty("state").GetString() == "stored") is { ValueKind: System.Text.Json.JsonValueKind.Object } stored ? stored : (System.Text.Json.JsonElement?)null,
            EventTimeout, "a stored clip");
        await using var browser = await Browser.LaunchAsync();

        var page = await browser.OpenSignedInAsync(network.Server.WebAddress, clip.GetProperty("url").GetString()!.TrimStart('/'));
        var played = await page.EvaluateAsync<double[]>(
            """
            async () => {
              const video = document.querySelector('video');
              video.muted = true;
              await video.play();
              await new Promise(resolve => setTimeout(resolve, 1500));
              const playedTo = video.currentTime;
              video.currentTime = 0.5;
              await new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
              return [video.duration, playedTo, video.readyState, video.videoWidth];
            }
            """);

        Assert.Contains($"Failing over from the server at {network.DeadServer} to the one at {network.Server.GrpcAddress.ToString().TrimEnd('/')}", network.Node.Output, StringComparison.Ordinal);
        Assert.InRange(played[0], 3, 6);
        Assert.True(played[1] > 0.5, $"currentTime after playing 1.5 s: {played[1]}");
        Assert.True(played[2] >= 2, $"readyState {played[2]}");
        Assert.Equal(640, played[3]);
    }

    [Fact]
    public async Task Overview_NodeStops_ShownOfflineWithoutReload()
    {
        await using var network = await DemoNetwork.StartAsync();
        await network.WaitForEventsAsync(1, EventTimeout);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenSignedInAsync(network.Server.WebAddress);
        var state = page.Locator("[data-testid=node][data-node-id=e2e-node] [data-testid=node-state]");
        await Assertions.Expect(state).ToHaveTextAsync("online", new() { IgnoreCase = true });

        network.Node.Kill();

        await Assertions.Expect(state).ToHaveTextAsync("offline", new() { IgnoreCase = true, Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=warning][data-warning=node-offline]")).ToContainTextAsync("E2E node is offline");
        await Browser.ScreenshotAsync(page, "overview-offline");
    }
}
