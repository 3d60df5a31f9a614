using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// The site map in Chromium, on a phone and a desktop, against a real server: an admin creates a map, uploads a plan,
/// places pins by tapping and moves one by dragging; after a reload the pins are where they were dropped, coloured by
/// status (node "farm" connected with a recent event on its yard camera, node "shed" gone), the colours follow new
/// events without a reload, and a pin's card links to its live view and its latest event. Its own server, so no other
/// test's nodes or events change the colours.
/// </summary>
public sealed class SiteMapPageTests
{
    /// <summary>How far a pin may be from where it was dropped, as a fraction of the plan: about 4 px on a phone.</summary>
    private const double Tolerance = 0.01;

    private const string Online = "rgb(46, 125, 50)";
    private const string Event = "rgb(211, 47, 47)";
    private const string Offline = "rgb(117, 117, 117)";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Map_PhoneAndDesktop_PinsPlacedAndDraggedStayAfterReload_ColouredByStatus_CardLinks()
    {
        using var data = new TempDirectory("cctvedge-e2e-sitemap");
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress).WaitAsync(Timeout);
        using var grpc = GrpcChannel.ForAddress(server.GrpcAddress);
        await using (var shed = await TestNode.ConnectAsync(grpc, "shed", "door"))
        {
            // Known to the server, then gone: its door shows offline.
        }

        await using var farm = await TestNode.ConnectAsync(grpc, "farm", "yard", "gate");
        await farm.SendEventAsync("yard", "motion-1", DateTimeOffset.UtcNow.AddMinutes(-1));
        var plan = (await MediaFiles.JpegsAsync(data.Path, 1, width: 800, height: 500)).Single();
        await using var browser = await Browser.LaunchAsync();

        foreach (var phone in new[] { true, false })
        {
            var name = phone ? "phone" : "desktop";
            var page = await browser.OpenSignedInAsync(server.WebAddress, "map", phone);
            await Browser.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=nav] a[href=map]")).ToHaveCountAsync(1);

            // A new map, its plan uploaded: a blank canvas until then.
            await page.Locator("[data-testid=map-new]").ClickAsync();
            await page.Locator("[data-testid=map-new-name]").FillAsync($"Yard {name}");
            await page.Locator("[data-testid=map-create]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=map-editor]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=site-map-blank]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=map-plan-file]").SetInputFilesAsync(plan);
            await Assertions.Expect(page.Locator("[data-testid=site-map-plan]")).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=site-map-plan]')?.naturalWidth > 0");

            // Tap-to-place: choose a device, tap the plan where it is.
            await PlaceAsync(page, phone, "camera/farm/yard", 0.3, 0.4);
            await PlaceAsync(page, phone, "camera/farm/gate", 0.2, 0.8);
            await PlaceAsync(page, phone, "camera/shed/door", 0.85, 0.2);
            await WaitAtAsync(Pin(page, "camera/farm/yard"), 0.3, 0.4);
            await Assertions.Expect(page.Locator("[data-testid=map-device]")).ToHaveCountAsync(0);
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/map in edit mode scrolls sideways at {page.ViewportSize!.Width} px");
            await Browser.ScreenshotAsync(page, $"site-map-editing-{name}");

            // Dragged with the mouse, nudged with the arrow keys.
            var map = (await page.Locator("[data-testid=site-map]").BoundingBoxAsync())!;
            var yard = (await Pin(page, "camera/farm/yard").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(yard.X + yard.Width / 2, yard.Y + yard.Height / 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync((float)(map.X + map.Width * 0.7), (float)(map.Y + map.Height * 0.6), new MouseMoveOptions { Steps = 12 });
            await page.Mouse.UpAsync();
            await WaitAtAsync(Pin(page, "camera/farm/yard"), 0.7, 0.6);
            await Pin(page, "camera/farm/gate").FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await WaitAtAsync(Pin(page, "camera/farm/gate"), 0.21, 0.8);
            await page.Locator("[data-testid=map-edit]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=map-editor]")).ToHaveCountAsync(0);

            // After a reload: where they were dropped, on a plan that kept its proportions, coloured by status.
            await page.ReloadAsync();
            await Browser.WaitInteractiveAsync(page);
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=site-map-plan]')?.naturalWidth > 0");
            map = (await page.Locator("[data-testid=site-map]").BoundingBoxAsync())!;
            Assert.True(Math.Abs(map.Height / map.Width - 500.0 / 800) < 0.02, $"the plan is {map.Width}x{map.Height} at {name}, not 8:5");
            Assert.True(map.Width <= page.ViewportSize!.Width, $"the plan is wider ({map.Width}) than the {name} screen");
            await AssertCentreAsync(page, "camera/farm/yard", 0.7, 0.6, name);
            await AssertCentreAsync(page, "camera/farm/gate", 0.21, 0.8, name);
            await AssertCentreAsync(page, "camera/shed/door", 0.85, 0.2, name);
            await AssertColourAsync(Pin(page, "camera/farm/yard"), "event", Event);
            await AssertColourAsync(Pin(page, "camera/shed/door"), "offline", Offline);
            if (phone)
            {
                // Live: the gate's first event turns its pin red with no reload.
                await AssertColourAsync(Pin(page, "camera/farm/gate"), "online", Online);
                await farm.SendEventAsync("gate", "motion-2", DateTimeOffset.UtcNow);
            }

            await AssertColourAsync(Pin(page, "camera/farm/gate"), "event", Event);
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/map scrolls sideways at {page.ViewportSize.Width} px");
            await Browser.ScreenshotAsync(page, $"site-map-{name}");

            // The card: name, status, last event, and links to the live view and the latest event.
            var mapUrl = page.Url;
            var mapId = long.Parse(new Uri(page.Url).Query.Split('&').Single(p => p.TrimStart('?').StartsWith("map=", StringComparison.Ordinal)).Split('=')[1], CultureInfo.InvariantCulture);
            var latest = (await http.GetFromJsonAsync<JsonElement>($"api/maps/{mapId}")).GetProperty("pins").EnumerateArray()
                .Single(p => p.GetProperty("camera").GetString() == "yard").GetProperty("latestEventId").GetInt64();
            await TapAsync(Pin(page, "camera/farm/yard"), phone);
            var card = page.Locator("[data-testid=map-card]");
            await Assertions.Expect(card.Locator("[data-testid=map-card-name]")).ToHaveTextAsync("Yard");
            await Assertions.Expect(card.Locator("[data-testid=map-card-status]")).ToHaveTextAsync("Online, recent event");
            await Assertions.Expect(card.Locator("[data-testid=map-card-last-event]")).Not.ToHaveTextAsync("Last event: none");
            await Assertions.Expect(card.Locator("[data-testid=map-card-live]")).ToHaveAttributeAsync("href", "live/farm/yard");
            await Assertions.Expect(card.Locator("[data-testid=map-card-event]")).ToHaveAttributeAsync("href", $"player/{latest}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/map with its card scrolls sideways at {page.ViewportSize.Width} px");
            await card.Locator("[data-testid=map-card-event]").ClickAsync();
            await page.WaitForURLAsync($"**/player/{latest}");
            await page.GotoAsync(mapUrl);
            await Browser.WaitInteractiveAsync(page);
            await TapAsync(Pin(page, "camera/farm/yard"), phone);
            await Assertions.Expect(page.Locator("[data-testid=map-card]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=map-card-live]").ClickAsync();
            await page.WaitForURLAsync("**/live/farm/yard");
            await Assertions.Expect(page.Locator("[data-testid=live-camera]")).ToHaveTextAsync("Yard");
        }

        await browser.CloseAllAsync();
    }

    private static ILocator Pin(IPage page, string key) => page.Locator($"[data-testid=map-pin][data-pin='{key}']");

    private static Task TapAsync(ILocator target, bool phone) => phone ? target.TapAsync() : target.ClickAsync();

    private static async Task PlaceAsync(IPage page, bool phone, string device, double x, double y)
    {
        await TapAsync(page.Locator($"[data-testid=map-device][data-device='{device}']"), phone);
        await Assertions.Expect(page.Locator($"[data-testid=map-device][data-device='{device}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("chosen"));
        var map = page.Locator("[data-testid=site-map]");
        var box = (await map.BoundingBoxAsync())!;
        var position = new Position { X = (float)(box.Width * x), Y = (float)(box.Height * y) };
        await (phone ? map.TapAsync(new LocatorTapOptions { Position = position }) : map.ClickAsync(new LocatorClickOptions { Position = position }));
        await Assertions.Expect(Pin(page, device)).ToHaveCountAsync(1);
    }

    /// <summary>Waits until the server has stored the pin's new spot and the page shows it (its data-x/y attributes).</summary>
    private static async Task WaitAtAsync(ILocator pin, double x, double y)
    {
        await Eventually.TrueAsync(
            async () => await pin.GetAttributeAsync("data-x") is { } px && await pin.GetAttributeAsync("data-y") is { } py
                && Math.Abs(double.Parse(px, CultureInfo.InvariantCulture) - x) <= Tolerance && Math.Abs(double.Parse(py, CultureInfo.InvariantCulture) - y) <= Tolerance,
            Timeout,
            $"the pin to be at ({x}, {y})");
    }

    /// <summary>The pin's centre, measured on the screen, is at (x, y) of the plan.</summary>
    private static async Task AssertCentreAsync(IPage page, string key, double x, double y, string name)
    {
        var plan = (await page.Locator("[data-testid=site-map-plan]").BoundingBoxAsync())!;
        var pin = (await Pin(page, key).BoundingBoxAsync())!;
        var (cx, cy) = ((pin.X + pin.Width / 2 - plan.X) / plan.Width, (pin.Y + pin.Height / 2 - plan.Y) / plan.Height);
        Assert.True(Math.Abs(cx - x) <= Tolerance && Math.Abs(cy - y) <= Tolerance, $"{key} at ({cx:0.000}, {cy:0.000}) of the plan at {name}, dropped at ({x}, {y})");
    }

    private static async Task AssertColourAsync(ILocator pin, string status, string colour)
    {
        await Assertions.Expect(pin).ToHaveAttributeAsync("data-status", status);
        await Assertions.Expect(pin).ToHaveCSSAsync("background-color", colour);
    }

    /// <summary>A node played by the test over a real session: cameras running, events sent as the node agent sends them.</summary>
    private sealed class TestNode : IAsyncDisposable
    {
        private readonly AsyncDuplexStreamingCall<NodeMessage, ServerMessage> _call;
        private ulong _sequence;

        private TestNode(AsyncDuplexStreamingCall<NodeMessage, ServerMessage> call) => _call = call;

        public static async Task<TestNode> ConnectAsync(GrpcChannel channel, string nodeId, params string[] cameras)
        {
            var call = new NodeService.NodeServiceClient(channel).Connect();
            var hello = new Hello { NodeId = nodeId, NodeName = nodeId, AgentVersion = "e2e", ProtocolVersion = 1 };
            hello.Cameras.Add(cameras.Select(c => new CameraInfo { Id = c, Name = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(c), SourceKind = "synthetic" }));
            await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
            var heartbeat = new Heartbeat();
            heartbeat.Cameras.Add(cameras.Select(c => new CameraStatus { CameraId = c, State = CameraState.Running }));
            await call.RequestStream.WriteAsync(new NodeMessage { Heartbeat = heartbeat }).WaitAsync(Timeout);
            return new TestNode(call);
        }

        public async Task SendEventAsync(string camera, string id, DateTimeOffset start)
        {
            var batch = new ResultBatch();
            batch.Results.Add(new Result
            {
                Sequence = ++_sequence,
                CameraId = camera,
                PluginId = "motion",
                ProducedAt = Timestamp.FromDateTimeOffset(start),
                Event = new Event { EventId = id, Kind = "motion", Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddSeconds(5)), Peak = 3 },
            });
            await _call.RequestStream.WriteAsync(new NodeMessage { Results = batch }).WaitAsync(Timeout);
            // The ack: the event is stored before the test looks for it.
            while (await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
            {
                if (_call.ResponseStream.Current.BodyCase == ServerMessage.BodyOneofCase.Ack && _call.ResponseStream.Current.Ack.Sequence >= _sequence)
                {
                    return;
                }
            }

            Assert.Fail("the server ended the session");
        }

        public async ValueTask DisposeAsync()
        {
            await _call.RequestStream.CompleteAsync().WaitAsync(Timeout);
            _call.Dispose();
        }
    }
}
