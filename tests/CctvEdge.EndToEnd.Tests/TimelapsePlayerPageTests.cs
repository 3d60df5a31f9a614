using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// The overview's latest timelapse (made by the real server from snapshots a node sent) opening in the player, and the
/// player's "play all" going through the day's events by itself and backwards, with the frame keys working before
/// anything is clicked: in Chromium on a phone (390 px) and a desktop. Each test has its own server.
/// </summary>
public sealed class TimelapsePlayerPageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Overview_PhoneAndDesktop_LatestTimelapseOpensInThePlayer()
    {
        using var data = new TempDirectory("cctvedge-e2e-timelapse");
        await using var server = await ServerProcess.StartAsync(data.Path, "--Timelapse:IntervalSeconds", "1");
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress).WaitAsync(Timeout);
        var stills = await MediaFiles.JpegsAsync(Path.Combine(data.Path, "made"), 3);
        await SendSnapshotsAsync(server.GrpcAddress, stills);
        var today = DateOnly.FromDateTime(DateTime.Now);

        using var built = await http.PostAsync($"api/cameras/farm/yard/timelapse?day={today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", null);
        Assert.Equal(HttpStatusCode.OK, built.StatusCode);
        var body = await built.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("frames").GetInt32());
        var clipId = body.GetProperty("clipId").GetString()!;

        await using var browser = await Browser.LaunchAsync();
        foreach (var phone in new[] { true, false })
        {
            var name = phone ? "phone" : "desktop";
            var page = await browser.OpenSignedInAsync(server.WebAddress, "", phone);
            await Browser.WaitInteractiveAsync(page);
            var link = page.Locator("[data-testid=camera][data-camera-id=yard] [data-testid=latest-timelapse]");
            await Assertions.Expect(link).ToBeVisibleAsync();
            await Assertions.Expect(link).ToContainTextAsync("latest timelapse");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/ scrolls sideways at {page.ViewportSize!.Width} px");
            await Browser.ScreenshotAsync(page, $"timelapse-overview-{name}");

            await link.ClickAsync();

            await page.WaitForURLAsync(new Regex($"/player/clip/{clipId}$"));
            await Assertions.Expect(page.Locator("[data-testid=player-clip-kind]")).ToContainTextAsync("timelapse");
            await Assertions.Expect(page.Locator("[data-testid=player-clip-info]")).ToContainTextAsync("timelapse clip");
            // The browser plays it: three stills at 30 fps are a tenth of a second.
            var duration = await (await page.WaitForFunctionAsync(
                "() => { const v = document.querySelector('[data-testid=player-video]'); return v && v.readyState >= 1 ? v.duration : 0; }")).JsonValueAsync<double>();
            Assert.Equal(0.1, duration, 2);
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"the player scrolls sideways at {page.ViewportSize!.Width} px");
            await Browser.ScreenshotAsync(page, $"timelapse-player-{name}");
        }

        await browser.CloseAllAsync();
    }

    [Fact]
    public async Task Events_PhoneAndDesktop_PlayAllAdvancesByItselfAndBackwards_FrameKeysWorkWithoutAClick()
    {
        using var data = new TempDirectory("cctvedge-e2e-sequence");
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress).WaitAsync(Timeout);
        var now = DateTimeOffset.Now;
        var midnight = new DateTimeOffset(now.Date, now.Offset);
        // Three events a minute apart ending a minute ago (from just after midnight when the day is that young).
        var first = now.AddMinutes(-4) > midnight ? now.AddMinutes(-4) : midnight.AddSeconds(10);
        var day = DateOnly.FromDateTime(first.LocalDateTime);
        var ids = await SeedEventsWithClipsAsync(data.Path, first);

        await using var browser = await Browser.LaunchAsync();
        foreach (var phone in new[] { true, false })
        {
            var name = phone ? "phone" : "desktop";
            var page = await browser.OpenSignedInAsync(server.WebAddress, $"events?day={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", phone);
            await Browser.WaitInteractiveAsync(page);

            // Every address the page goes to, so the sequence's start is known even when a busy machine checks only
            // after it has gone on (the sequence's first step replaces the history entry, and the next comes by itself).
            var visited = new List<string>();
            page.FrameNavigated += (_, frame) =>
            {
                if (frame == page.MainFrame)
                {
                    lock (visited)
                    {
                        visited.Add(frame.Url);
                    }
                }
            };
            await page.Locator("[data-testid=play-all]").ClickAsync();

            // The oldest event first, then, when its clip has played, the next by itself.
            await page.WaitForURLAsync(new Regex($"/player/{ids[1]}\\?.*play=forward"));
            await Assertions.Expect(page.Locator("[data-testid=sequence-position]")).ToHaveTextAsync("2 of 3");
            lock (visited)
            {
                var players = visited.Where(u => Regex.IsMatch(u, @"/player/\d+\?")).Distinct().ToList();
                Assert.True(players.Count >= 2 && Regex.IsMatch(players[0], $"/player/{ids[0]}\\?.*play=forward"), "visited: " + string.Join(" ", visited));
            }

            await Browser.ScreenshotAsync(page, $"sequence-second-{name}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"the player scrolls sideways at {page.ViewportSize!.Width} px");

            // Backwards from the second: it plays on to the first, the last of the sequence that way.
            await page.Locator("[data-testid=sequence-reverse]").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/player/{ids[1]}\\?.*play=backward"));
            await page.WaitForURLAsync(new Regex($"/player/{ids[0]}\\?.*play=backward"));
            await Assertions.Expect(page.Locator("[data-testid=sequence-position]")).ToHaveTextAsync("3 of 3");
            await Assertions.Expect(page.Locator("[data-testid=sequence-next]")).ToBeDisabledAsync();

            // A plain player page: the frame keys step before anything on the page has been clicked or focused.
            await page.GotoAsync(new Uri(server.WebAddress, $"player/{ids[2]}").ToString());
            await Browser.WaitInteractiveAsync(page);
            var time = page.Locator("[data-testid=player-time]");
            await Assertions.Expect(time).ToContainTextAsync("/ 00:06.00");
            Assert.True(await page.EvaluateAsync<bool>("() => !document.activeElement || !document.activeElement.closest('[data-testid=clip-player]')"), "the player must not need the keyboard focus");
            await page.Keyboard.PressAsync(".");
            await page.Keyboard.PressAsync(".");
            await Assertions.Expect(time).ToContainTextAsync("00:00.20 /");
            await page.Keyboard.PressAsync("ArrowLeft");
            await Assertions.Expect(time).ToContainTextAsync("00:00.10 /");
            Assert.Equal(0.1, await page.EvaluateAsync<double>("() => document.querySelector('[data-testid=player-video]').currentTime"), 2);
            await Browser.ScreenshotAsync(page, $"sequence-frame-keys-{name}");
        }

        await browser.CloseAllAsync();
    }

    /// <summary>Node farm (camera yard) and three 4 s motion events a minute apart, each with a stored 6 s clip (10 fps) from a second before it.</summary>
    private static async Task<long[]> SeedEventsWithClipsAsync(string dataDirectory, DateTimeOffset first)
    {
        var ids = new long[3];
        await using var seed = await DataSeeder.OpenAsync(Path.Combine(dataDirectory, "cctvedge.db"));
        await seed.NodeAsync("farm", "Farm", DateTimeOffset.UtcNow, ["yard"]);
        for (var i = 0; i < ids.Length; i++)
        {
            var start = first.AddMinutes(i);
            ids[i] = await seed.EventAsync("farm", "yard", start, TimeSpan.FromSeconds(4));
            var relative = Path.Combine("farm", "yard", start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"clip-{i}.mp4");
            var file = Path.Combine(dataDirectory, "clips", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // 6 s, the event's part and its margins: the sequence stays on each event that long, so a busy machine
            // checking where it is does not find it already gone on (2 s clips raced the test under CI load).
            await MediaFiles.MakeClipAsync(file, seconds: 6, fps: 10);
            await seed.ClipAsync("farm", "yard", $"clip-{i}", start.AddSeconds(-1), start.AddSeconds(5), relative, await File.ReadAllBytesAsync(file));
        }

        return ids;
    }

    /// <summary>Node farm with camera yard sends each still as a snapshot, 1.2 s apart (the server keeps one a second), then leaves.</summary>
    private static async Task SendSnapshotsAsync(Uri grpc, IReadOnlyList<string> stills)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var call = new NodeService.NodeServiceClient(channel).Connect();
        var hello = new Hello { NodeId = "farm", NodeName = "Farm", AgentVersion = "e2e", ProtocolVersion = 1 };
        hello.Cameras.Add(new CameraInfo { Id = "yard", Name = "Yard", SourceKind = "synthetic" });
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        foreach (var still in stills)
        {
            var snapshot = new Snapshot { CameraId = "yard", Jpeg = ByteString.CopyFrom(await File.ReadAllBytesAsync(still)) };
            await call.RequestStream.WriteAsync(new NodeMessage { Snapshot = snapshot }).WaitAsync(Timeout);
            await Task.Delay(1200);
        }

        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
    }
}
