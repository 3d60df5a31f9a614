using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Outages hatched on the events timeline in Chromium, on a phone and a desktop, against a real server: a node (played
/// by the test) reports its gate camera offline two days ago (closed) and since an hour ago (still open), then
/// disconnects, and the server's own watcher raises the node-wide offline event that shades every row of the node.
/// Its own server, so no other test's node or events change what is shaded.
/// </summary>
public sealed class TimelineOutagePageTests
{
    private const string Reason = "ffmpeg exited: connection refused";

    /// <summary>How far a span's edge may be from where its time puts it, as a fraction of the row: a few px on a phone.</summary>
    private const double Tolerance = 0.01;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_PhoneAndDesktop_OutagesHatchedWhereTheyWere_OpenOnesToNow_NodeWideOnEveryRow()
    {
        using var data = new TempDirectory("cctvedge-e2e-outages");
        // A node is offline 3 s after it goes, looked for every half second.
        await using var server = await ServerProcess.StartAsync(data.Path, "--Notifications:OfflineMinutes", "0.05", "--Notifications:OfflineCheckSeconds", "0.5");
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress).WaitAsync(Timeout);
        var now = DateTimeOffset.Now;
        var today = DateOnly.FromDateTime(now.LocalDateTime);
        var past = today.AddDays(-2);
        var (failed, back) = (At(past, new TimeOnly(13, 30)), At(past, new TimeOnly(15, 45)));
        var openSince = now.AddHours(-1);
        await SeedAndLeaveAsync(server.GrpcAddress, At(past, new TimeOnly(9, 0)), (failed, back), openSince);
        await using var browser = await Browser.LaunchAsync();

        foreach (var phone in new[] { true, false })
        {
            var name = phone ? "phone" : "desktop";
            var page = await browser.OpenSignedInAsync(server.WebAddress, $"events?day={past.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", phone);
            await Browser.WaitInteractiveAsync(page);
            var gate = Row(page, "gate");
            var yard = Row(page, "yard");

            // Two days ago: the gate's closed outage where 13:30–15:45 is on its row, and nothing else shaded.
            var closed = gate.Locator("[data-testid=timeline-outage]");
            await Assertions.Expect(closed).ToHaveCountAsync(1);
            await Assertions.Expect(closed).ToHaveAttributeAsync("data-open", "false");
            await Assertions.Expect(closed.Locator("title")).ToHaveTextAsync($"offline: {Reason}, 13:30–15:45");
            var (left, right) = await SpanAsync(gate, closed);
            AssertNear(Fraction(past, failed), left, $"start of the closed outage at {name}");
            AssertNear(Fraction(past, back), right, $"end of the closed outage at {name}");
            // An outage is not an event: no bar for it, and the yard's motion is still its one bar, unshaded.
            await Assertions.Expect(gate.Locator("[data-testid=timeline-bar]")).ToHaveCountAsync(0);
            await Assertions.Expect(yard.Locator("[data-testid=timeline-bar]")).ToHaveCountAsync(1);
            await Assertions.Expect(yard.Locator("[data-testid=timeline-outage]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=timeline-legend-outage]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=timeline-legend-outage]")).ToContainTextAsync("offline");
            await Browser.ScreenshotAsync(page, $"timeline-outage-past-{name}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {page.ViewportSize!.Width} px");

            // Today: the gate's own outage from an hour ago to now, and the node's (raised by the server once the node
            // left) on the yard, the gate and the node's own row.
            await page.GotoAsync(new Uri(server.WebAddress, "events").ToString());
            await Browser.WaitInteractiveAsync(page);
            foreach (var camera in new[] { "yard", "gate", "" })
            {
                var wholeNode = Row(page, camera).Locator("[data-testid=timeline-outage][data-whole-node=true]");
                await Assertions.Expect(wholeNode).ToHaveCountAsync(1);
                await Assertions.Expect(wholeNode).ToHaveAttributeAsync("data-open", "true");
                await Assertions.Expect(wholeNode.Locator("title")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^offline: Farm has not been connected since .*–now$"));
            }

            var open = gate.Locator("[data-testid=timeline-outage][data-whole-node=false]");
            await Assertions.Expect(open).ToHaveAttributeAsync("data-open", "true");
            await Assertions.Expect(open.Locator("title")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^offline: {Reason}, .*–now$"));
            var shownAt = DateTimeOffset.Now;
            var start = openSince > At(today, TimeOnly.MinValue) ? openSince : At(today, TimeOnly.MinValue);
            (left, right) = await SpanAsync(gate, open);
            AssertNear(Fraction(today, start), left, $"start of the open outage at {name}");
            AssertNear(Fraction(today, shownAt), right, $"end of the open outage (now) at {name}");
            var (nodeLeft, nodeRight) = await SpanAsync(yard, yard.Locator("[data-testid=timeline-outage]"));
            Assert.True(nodeLeft <= Fraction(today, shownAt) + Tolerance && nodeLeft >= Fraction(today, now) - Tolerance, $"the node's outage starts at {nodeLeft:0.000} of the day, not when the node left ({Fraction(today, now):0.000})");
            AssertNear(Fraction(today, shownAt), nodeRight, $"end of the node's outage (now) at {name}");
            await Browser.ScreenshotAsync(page, $"timeline-outage-today-{name}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {page.ViewportSize!.Width} px");
        }

        await browser.CloseAllAsync();
    }

    private static ILocator Row(IPage page, string camera) => page.Locator($"[data-testid=timeline-row][data-camera='farm.{camera}']");

    /// <summary>Where a shaded span starts and ends on its row, as fractions of the row's width.</summary>
    private static async Task<(double Left, double Right)> SpanAsync(ILocator row, ILocator span)
    {
        var track = (await row.Locator("svg").First.BoundingBoxAsync())!;
        var box = (await span.BoundingBoxAsync())!;
        return ((box.X - track.X) / track.Width, (box.X + box.Width - track.X) / track.Width);
    }

    private static void AssertNear(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: {actual:0.000} of the row, expected {expected:0.000}");

    /// <summary>A moment as a fraction of its local day (23 or 25 hours on a daylight-saving change, as the server counts it).</summary>
    private static double Fraction(DateOnly day, DateTimeOffset at)
    {
        var (start, end) = (At(day, TimeOnly.MinValue), At(day.AddDays(1), TimeOnly.MinValue));
        return (at - start) / (end - start);
    }

    /// <summary>A local time on a day in the server's time zone, which is this machine's.</summary>
    private static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }

    /// <summary>
    /// Node "farm" with cameras yard and gate, both running: the yard's motion and the gate's closed outage two days
    /// ago, the gate's outage open since <paramref name="openSince"/>; then it disconnects.
    /// </summary>
    private static async Task SeedAndLeaveAsync(Uri grpc, DateTimeOffset motion, (DateTimeOffset Start, DateTimeOffset End) closed, DateTimeOffset openSince)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var call = new NodeService.NodeServiceClient(channel).Connect();
        var hello = new Hello { NodeId = "farm", NodeName = "Farm", AgentVersion = "e2e", ProtocolVersion = 1 };
        hello.Cameras.Add(new CameraInfo { Id = "yard", Name = "Yard", SourceKind = "synthetic" });
        hello.Cameras.Add(new CameraInfo { Id = "gate", Name = "Gate", SourceKind = "synthetic" });
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        // Running, or the watcher would call the cameras offline for still starting while the node is connected.
        var heartbeat = new Heartbeat();
        heartbeat.Cameras.Add(new CameraStatus { CameraId = "yard", State = CameraState.Running });
        heartbeat.Cameras.Add(new CameraStatus { CameraId = "gate", State = CameraState.Running });
        await call.RequestStream.WriteAsync(new NodeMessage { Heartbeat = heartbeat }).WaitAsync(Timeout);

        var batch = new ResultBatch();
        batch.Results.Add(Event(1, "yard", "motion", "motion-1", "motion", motion, motion.AddSeconds(10), """{"motionFrames":12}"""));
        batch.Results.Add(CameraOffline(2, "outage-1", closed.Start, closed.End));
        batch.Results.Add(CameraOffline(3, "outage-2", openSince, end: null));
        await call.RequestStream.WriteAsync(new NodeMessage { Results = batch }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(3UL, call.ResponseStream.Current.Ack.Sequence);
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
    }

    /// <summary>The gate's outage as the node's CameraOutages publishes it.</summary>
    private static Result CameraOffline(ulong sequence, string id, DateTimeOffset start, DateTimeOffset? end) =>
        Event(sequence, "gate", "node", id, "system", start, end, $$"""{"type":"camera-offline","camera":"gate","reason":"{{Reason}}"}""");

    private static Result Event(ulong sequence, string camera, string plugin, string id, string kind, DateTimeOffset start, DateTimeOffset? end, string payload) => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = plugin,
        ProducedAt = Timestamp.FromDateTimeOffset(end ?? start),
        Event = new Event
        {
            EventId = id,
            Kind = kind,
            Start = Timestamp.FromDateTimeOffset(start),
            End = end is { } e ? Timestamp.FromDateTimeOffset(e) : null,
            PayloadJson = payload,
        },
    };
}
