using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Grpc.Net.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// A year of 1-minute readings (three series of a BME280, seeded straight into SQLite after a real hello, since
/// ingesting a year at 1 Hz takes a year): the readings API timed over 1 h, 24 h, 7 d, 31 d and 1 y, and in Chromium
/// the time from choosing "1 y" on the Sensors page to the year's axis drawn. The budgets are loose (a shared two-core
/// machine); the figures go to TestResults/bench-sensor-chart.txt (scripts/bench-sensors.sh prints them).
/// </summary>
public sealed partial class SensorChartPerformanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_BENCH_RUNS"), CultureInfo.InvariantCulture, out var runs) ? runs : 3;

    [Fact]
    public async Task OneYearChartOfMinuteData_DrawnWithinBudget()
    {
        using var data = new TempDirectory("cctvedge-e2e-bench");
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress);
        await HelloAsync(server.GrpcAddress);
        var seeding = Stopwatch.StartNew();
        long rows;
        await using (var seed = await DataSeeder.OpenAsync(Path.Combine(data.Path, "cctvedge.db")))
        {
            rows = seed.SensorYear("year", "bme", DateTimeOffset.UtcNow);
        }

        var report = new List<string> { $"seeded {rows} minute rows (a year of temperature, humidity and pressure) and their hours in {seeding.Elapsed.TotalSeconds:0.0} s" };
        report.AddRange(await ApiTimesAsync(http, DateTimeOffset.UtcNow));
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenSignedInAsync(server.WebAddress);
        await page.GotoAsync(new Uri(server.WebAddress, "sensors").ToString());
        await Browser.WaitInteractiveAsync(page);
        var chart = page.Locator("[data-testid=sensor-card][data-sensor='year.bme'] [data-testid=sensor-chart]").First;

        var drawn = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            await page.ClickAsync("[data-testid=range-24h]");
            await chart.GetByText(TimeOfDay()).First.WaitForAsync(new() { Timeout = 60_000 });
            var watch = Stopwatch.StartNew();
            await page.ClickAsync("[data-testid=range-1y]");
            await chart.GetByText(Day()).First.WaitForAsync(new() { Timeout = 60_000 });
            drawn.Add(watch.Elapsed.TotalMilliseconds);
        }

        await Assertions.Expect(chart.Locator("svg g.rz-line-series")).Not.ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "sensors-one-year");
        Assert.True(drawn[0] < Budget.TotalMilliseconds, $"the one-year chart took {drawn[0]:0} ms");
        report.Add($"chromium, sensors page, 1 y of minute data (hour points, 3 series): chart drawn {string.Join(", ", drawn.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms after the click");
        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults"));
        await File.WriteAllLinesAsync(Path.Combine(RepositoryPaths.Root, "TestResults", "bench-sensor-chart.txt"), report);
    }

    /// <summary>The readings API over each chart range: resolution, points a series, first / median of 5 / max.</summary>
    private static async Task<IEnumerable<string>> ApiTimesAsync(HttpClient http, DateTimeOffset now)
    {
        var lines = new List<string>();
        foreach (var (name, span) in new[] { ("1 h", TimeSpan.FromHours(1)), ("24 h", TimeSpan.FromHours(24)), ("7 d", TimeSpan.FromDays(7)), ("31 d", TimeSpan.FromDays(31)), ("1 y", TimeSpan.FromDays(365)) })
        {
            var url = $"api/sensors/year/bme/readings?from={Uri.EscapeDataString((now - span).ToString("O"))}&to={Uri.EscapeDataString(now.ToString("O"))}";
            var times = new List<double>();
            System.Text.Json.JsonElement last = default;
            for (var i = 0; i < 6; i++)
            {
                var watch = Stopwatch.StartNew();
                last = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(http, url);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            Assert.True(times[0] < Budget.TotalMilliseconds, $"the readings API over {name} took {times[0]:0} ms");
            var points = last.GetProperty("series").EnumerateArray().Max(s => s.GetProperty("points").GetArrayLength());
            var rest = times.Skip(1).Order().ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"readings API, {name}: {last.GetProperty("resolution").GetString()}, {points} points a series, {times[0]:0} / {rest[2]:0} / {rest[^1]:0} ms (first / median / max)"));
        }

        return lines;
    }

    /// <summary>The node "year" with its BME280, named by a real hello so the page lists it.</summary>
    private static async Task HelloAsync(Uri grpc)
    {
        using var channel = GrpcChannel.ForAddress(grpc);
        using var call = new NodeService.NodeServiceClient(channel).Connect();
        var hello = new Hello { NodeId = "year", NodeName = "Year", AgentVersion = "e2e", ProtocolVersion = 1 };
        hello.Sensors.Add(new SensorInfo { Id = "bme", Name = "Barn air", PluginId = "sense", Kind = "bme280", State = PluginState.Running });
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
    }

    // Axis labels: HH:mm for a day, yyyy-MM-dd beyond a month (SensorCharts.AxisLabel).
    [GeneratedRegex(@"^\d{2}:\d{2}$")]
    private static partial Regex TimeOfDay();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex Day();
}
