using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// The sensors page in Chromium, on a phone and a desktop, against a real server whose readings arrived through its
/// real ingest path: a node session (played by the test) sends a hello with three sensors and three hours of readings.
/// Its own server, not the review network's: a second node there would change what the other review tests count.
/// </summary>
public sealed class SensorPageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sensors_PhoneAndDesktop_LatestValuesStaleBadgeChartsPerRangeCsvAndThresholds()
    {
        using var data = new TempDirectory("cctvedge-e2e-sensors");
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress).WaitAsync(Timeout);
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(server.GrpcAddress, now);
        await SeedProbesAsync(server.GrpcAddress);
        await using var browser = await Browser.LaunchAsync();

        foreach (var phone in new[] { true, false })
        {
            var page = await browser.OpenSignedInAsync(server.WebAddress, "sensors?node=farm", phone);
            await Browser.WaitInteractiveAsync(page);
            var bme = page.Locator("[data-testid=sensor-card][data-sensor='farm.bme']");
            var accel = page.Locator("[data-testid=sensor-card][data-sensor='farm.gate-accel']");
            var freezer = page.Locator("[data-testid=sensor-card][data-sensor='farm.freezer']");

            await Assertions.Expect(bme.Locator("[data-testid=sensor-value][data-name=temperature]")).ToContainTextAsync("21.5 °C");
            await Assertions.Expect(bme.Locator("[data-testid=sensor-value][data-name=humidity]")).ToContainTextAsync("60 %");
            await Assertions.Expect(freezer.Locator("[data-testid=sensor-stale]")).ToBeVisibleAsync();
            await Assertions.Expect(bme.Locator("[data-testid=sensor-stale]")).ToHaveCountAsync(0);
            // One chart per unit for the BME280; x, y and z on one chart for the accelerometer, each a line.
            await Assertions.Expect(bme.Locator("[data-testid=sensor-chart]")).ToHaveCountAsync(2);
            var accelChart = accel.Locator("[data-testid=sensor-chart][data-chart=accel]");
            await Assertions.Expect(accelChart).ToBeVisibleAsync();
            foreach (var axis in new[] { "accel.x", "accel.y", "accel.z" })
            {
                await Assertions.Expect(accelChart.GetByText(axis, new() { Exact = true })).ToBeVisibleAsync();
            }

            await Assertions.Expect(accelChart.Locator("svg g.rz-line-series")).ToHaveCountAsync(3);

            foreach (var range in new[] { "1h", "7d", "1y", "24h" })
            {
                await page.ClickAsync($"[data-testid=range-{range}]");
                await Assertions.Expect(page.Locator($"[data-testid=range-{range}]")).ToHaveAttributeAsync("aria-pressed", "true");
                await Assertions.Expect(bme.Locator("[data-testid=sensor-chart]")).ToHaveCountAsync(2);
                await Assertions.Expect(freezer.Locator("[data-testid=sensor-no-readings]")).ToBeVisibleAsync();
            }

            // Zoom: 24 h halves to 12 h around its middle (no longer following the present: it ends 6 h ago, before the
            // seeded 3 h of readings), pans back and forth, zooms out to the present day again.
            var window = page.Locator("[data-testid=sensor-window]");
            await Assertions.Expect(window).ToHaveAttributeAsync("data-span-minutes", "1440");
            await page.ClickAsync("[data-testid=zoom-in]");
            await Assertions.Expect(window).ToHaveAttributeAsync("data-span-minutes", "720");
            await Assertions.Expect(window).ToHaveAttributeAsync("data-live", "false");
            await Assertions.Expect(page.Locator("[data-testid=range-24h]")).ToHaveAttributeAsync("aria-pressed", "false");
            await Assertions.Expect(bme.Locator("[data-testid=sensor-no-readings]")).ToBeVisibleAsync();
            var zoomed = await window.TextContentAsync();
            await page.ClickAsync("[data-testid=pan-earlier]");
            await Assertions.Expect(window).Not.ToHaveTextAsync(zoomed!);
            await page.ClickAsync("[data-testid=pan-later]");
            await page.ClickAsync("[data-testid=pan-later]");
            await Assertions.Expect(window).ToHaveAttributeAsync("data-live", "true");
            await page.ClickAsync("[data-testid=zoom-out]");
            await Assertions.Expect(window).ToHaveAttributeAsync("data-span-minutes", "1440");
            await Assertions.Expect(page.Locator("[data-testid=range-24h]")).ToHaveAttributeAsync("aria-pressed", "true");
            await Assertions.Expect(bme.Locator("[data-testid=sensor-chart]")).ToHaveCountAsync(2);

            await page.WaitForTimeoutAsync(300);
            await Browser.ScreenshotAsync(page, $"sensors-{(phone ? "phone" : "desktop")}");
            var width = page.ViewportSize!.Width;
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/sensors scrolls sideways at {width} px");
            foreach (var chart in await page.Locator("[data-testid=sensor-chart] svg").AllAsync())
            {
                var box = await chart.BoundingBoxAsync();
                Assert.True(box!.X >= 0 && box.X + box.Width <= width, $"a chart spans {box.X}..{box.X + box.Width} of {width} px");
            }

            // The CSV link downloads the shown range with the browser's own session.
            var href = await bme.Locator("[data-testid=sensor-csv]").GetAttributeAsync("href");
            var csv = await page.APIRequest.GetAsync(new Uri(server.WebAddress, href).ToString());
            var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("at,name,unit,min,avg,max", lines[0]);
            Assert.Contains(lines, l => l.Contains(",temperature,°C,", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains(",humidity,%,", StringComparison.Ordinal));

            // The accelerometer linked to the yard camera has its band under the yard's row of the events timeline.
            await page.GotoAsync(new Uri(server.WebAddress, "events").ToString());
            await Browser.WaitInteractiveAsync(page);
            var band = page.Locator("[data-testid=timeline-sensor][data-sensor='farm.gate-accel']");
            await Assertions.Expect(band).ToBeVisibleAsync();
            await Assertions.Expect(band.Locator("polyline.sensor-band-line")).ToHaveCountAsync(1);
            await Browser.ScreenshotAsync(page, $"sensors-timeline-{(phone ? "phone" : "desktop")}");
            Assert.False(await Browser.OverflowsSidewaysAsync(page), $"/events scrolls sideways at {width} px");
        }

        // The overview lists the latest values and counts the stale sensors (the freezer and the probes).
        var desktop = await browser.OpenSignedInAsync(server.WebAddress, "");
        await Browser.WaitInteractiveAsync(desktop);
        await Assertions.Expect(desktop.Locator("[data-testid=overview-sensor][data-sensor='farm.bme']")).ToContainTextAsync("21.5 °C");
        await Assertions.Expect(desktop.Locator("[data-testid=overview-sensors-stale]")).ToHaveTextAsync("11 stale");

        // Every node's 13 sensors are more than chart at once: a card charts on request; the node picker narrows to one node's.
        await desktop.GotoAsync(new Uri(server.WebAddress, "sensors").ToString());
        await Browser.WaitInteractiveAsync(desktop);
        await Assertions.Expect(desktop.Locator("[data-testid=sensor-card]")).ToHaveCountAsync(13);
        await Assertions.Expect(desktop.Locator("[data-testid=sensor-chart]")).ToHaveCountAsync(0);
        var onRequest = desktop.Locator("[data-testid=sensor-card][data-sensor='farm.bme']");
        await onRequest.Locator("[data-testid=sensor-show-chart]").ClickAsync();
        await Assertions.Expect(onRequest.Locator("[data-testid=sensor-chart]")).ToHaveCountAsync(2);
        await desktop.SelectOptionAsync("[data-testid=sensor-node]", "shed");
        await desktop.WaitForURLAsync(url => url.EndsWith("sensors?node=shed", StringComparison.Ordinal));
        await Assertions.Expect(desktop.Locator("[data-testid=sensor-card]")).ToHaveCountAsync(10);

        // An admin sets a threshold on the page; the REST API reads it back.
        await desktop.GotoAsync(new Uri(server.WebAddress, "sensors").ToString());
        await Browser.WaitInteractiveAsync(desktop);
        var card = desktop.Locator("[data-testid=sensor-card][data-sensor='farm.bme']");
        await card.Locator("[data-testid=thresholds-edit]").ClickAsync();
        await card.Locator("[data-testid=threshold-add]").ClickAsync();
        await card.Locator("[data-testid=threshold-name]").FillAsync("temperature");
        await card.Locator("[data-testid=threshold-max]").FillAsync("25");
        await card.Locator("[data-testid=threshold-sustain]").FillAsync("60");
        await card.Locator("[data-testid=thresholds-save]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=thresholds-message]")).ToHaveTextAsync("Saved.");
        var saved = Assert.Single((await http.GetFromJsonAsync<JsonElement[]>("api/sensors/farm/bme/thresholds"))!);
        Assert.Equal(("temperature", 25.0, 60), (saved.GetProperty("name").GetString(), saved.GetProperty("max").GetDouble(), saved.GetProperty("sustainSeconds").GetInt32()));
        await browser.CloseAllAsync();
    }

    /// <summary>A node "shed" with ten probes that have not read yet: with the farm's, more sensors than the page charts at once.</summary>
    private static async Task SeedProbesAsync(Uri grpc)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var call = new NodeService.NodeServiceClient(channel).Connect();
        var hello = new Hello { NodeId = "shed", NodeName = "Shed", AgentVersion = "e2e", ProtocolVersion = 1 };
        hello.Sensors.AddRange(Enumerable.Range(1, 10).Select(i => new SensorInfo { Id = $"probe-{i}", Name = $"Probe {i}", PluginId = "sense", Kind = "ds18b20", State = PluginState.Running }));
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
    }

    /// <summary>A node "farm" with a BME280, an accelerometer and a freezer probe that never reads; a reading a minute for three hours.</summary>
    private static async Task SeedAsync(Uri grpc, DateTimeOffset now)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var call = new NodeService.NodeServiceClient(channel).Connect();
        var hello = new Hello { NodeId = "farm", NodeName = "Farm", AgentVersion = "e2e", ProtocolVersion = 1 };
        hello.Cameras.Add(new CameraInfo { Id = "yard", Name = "Yard", SourceKind = "synthetic" });
        hello.Sensors.Add(new SensorInfo { Id = "bme", Name = "Barn air", PluginId = "sense", Kind = "bme280", State = PluginState.Running });
        hello.Sensors.Add(new SensorInfo { Id = "gate-accel", Name = "Gate", PluginId = "sense", Kind = "adxl345", CameraId = "yard", State = PluginState.Running });
        hello.Sensors.Add(new SensorInfo { Id = "freezer", Name = "Freezer", PluginId = "sense", Kind = "ds18b20", State = PluginState.Running });
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        var batch = new ResultBatch();
        ulong sequence = 0;
        for (var minute = 180; minute >= 1; minute--)
        {
            var at = now.AddMinutes(-minute);
            Add("bme", "temperature", 18 + (3 * Math.Sin(minute / 30.0)), "°C", at);
            Add("bme", "humidity", 55 + (minute % 10), "%", at);
            Add("gate-accel", "accel.x", 0.01 * (minute % 5), "g", at);
            Add("gate-accel", "accel.y", -0.01 * (minute % 3), "g", at);
            Add("gate-accel", "accel.z", 0.98 + (0.01 * (minute % 4)), "g", at);
        }

        Add("bme", "temperature", 21.5, "°C", now.AddSeconds(-20));
        Add("bme", "humidity", 60, "%", now.AddSeconds(-20));
        await call.RequestStream.WriteAsync(new NodeMessage { Results = batch }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(sequence, call.ResponseStream.Current.Ack.Sequence);
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);

        void Add(string sensor, string name, double value, string unit, DateTimeOffset at) => batch.Results.Add(new Result
        {
            Sequence = ++sequence,
            PluginId = "sense",
            SensorId = sensor,
            ProducedAt = Timestamp.FromDateTimeOffset(at),
            Measurement = new Measurement { Name = name, Value = value, Unit = unit, At = Timestamp.FromDateTimeOffset(at) },
        });
    }
}
