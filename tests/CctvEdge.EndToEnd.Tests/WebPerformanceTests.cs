using System.Diagnostics;
using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// First render of the events page for a day of 10 000 events, and of the overview with 50 nodes, seeded straight
/// into SQLite: the server's render time (the prerendered page with its data) and Chromium's time until the data shows
/// and until the page is interactive. The budgets are loose (a shared two-core machine); the figures go to
/// TestResults/bench-web.txt (scripts/bench-web.sh prints them).
/// </summary>
public sealed class WebPerformanceTests(ITestOutputHelper output)
{
    private const int Events = 10_000;
    private const int Nodes = 50;
    private static readonly TimeSpan ServerBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BrowserBudget = TimeSpan.FromSeconds(10);
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_BENCH_RUNS"), CultureInfo.InvariantCulture, out var runs) ? runs : 3;

    [Fact]
    public async Task FirstRender_TenThousandEventsInADayAndFiftyNodes_WithinBudget()
    {
        using var data = new TempDirectory("cctvedge-e2e-bench");
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress);
        var day = DateOnly.FromDateTime(DateTime.Now).AddDays(-1);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(Path.Combine(data.Path, "cctvedge.db"), day);
        var report = new List<string> { $"seeded {Nodes} nodes and {Events} events on {day:yyyy-MM-dd} (and a day of motion magnitude for every camera) in {seeding.Elapsed.TotalSeconds:0.0} s" };

        var eventsPath = $"events?day={day:yyyy-MM-dd}";
        report.Add(await ServerRenderAsync(http, eventsPath, "events page, 10 000 events", "data-testid=\"event-row\""));
        report.Add(await ServerRenderAsync(http, "", "overview, 50 nodes", "data-testid=\"node\""));

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenSignedInAsync(server.WebAddress);
        report.Add(await BrowserRenderAsync(page, new Uri(server.WebAddress, eventsPath), "events page", "[data-testid=event-row]"));
        await Assertions.Expect(page.Locator("[data-testid=events-pager]")).ToContainTextAsync($"{Events} rows");
        await Browser.ScreenshotAsync(page, "events-10000");
        report.Add(await BrowserRenderAsync(page, server.WebAddress, "overview", "[data-testid=node]"));
        Assert.Equal(Nodes, await page.Locator("[data-testid=node]").CountAsync());
        await Browser.ScreenshotAsync(page, "overview-50-nodes");

        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults"));
        await File.WriteAllLinesAsync(Path.Combine(RepositoryPaths.Root, "TestResults", "bench-web.txt"), report);
    }

    private static async Task SeedAsync(string database, DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeZoneInfo.Local.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));
        await using var seed = await DataSeeder.OpenAsync(database);
        for (var n = 0; n < Nodes; n++)
        {
            await seed.NodeAsync($"node-{n:00}", $"Node {n:00}", DateTimeOffset.UtcNow, ["cam"]);
        }

        // Every tenth node's camera is busy: 2 000 events each over the day.
        for (var n = 0; n < Nodes; n += 10)
        {
            await seed.EventsAsync($"node-{n:00}", "cam", start, TimeSpan.FromDays(1), Events / 5);
        }

        // Every camera has a day of motion magnitude (the timeline draws a graph under each), one value in 10 s.
        for (var n = 0; n < Nodes; n++)
        {
            await seed.MotionAsync($"node-{n:00}", "cam", start, start.AddDays(1), TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>GET of the page (prerendered with its data): the first, cold, and the median of the runs after it.</summary>
    private async Task<string> ServerRenderAsync(HttpClient http, string path, string what, string marker)
    {
        var times = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var html = await http.GetStringAsync(path).WaitAsync(TimeSpan.FromSeconds(60));
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Contains(marker, html, StringComparison.Ordinal);
        }

        Assert.True(times[0] < ServerBudget.TotalMilliseconds, $"{what}: server render took {times[0]:0} ms");
        var line = $"server render, {what}: first {times[0]:0} ms, then median {Median(times.Skip(1)):0} ms ({string.Join(", ", times.Skip(1).Select(t => t.ToString("0", CultureInfo.InvariantCulture)))})";
        output.WriteLine(line);
        return line;
    }

    /// <summary>Chromium: from navigation to the data on screen, and to the page running interactively.</summary>
    private async Task<string> BrowserRenderAsync(IPage page, Uri address, string what, string data)
    {
        var shown = new List<double>();
        var interactive = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(address.ToString(), new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator(data).First.WaitForAsync(new() { Timeout = 60_000 });
            shown.Add(watch.Elapsed.TotalMilliseconds);
            await page.Locator("[data-testid=interactive]").First.WaitForAsync(new() { Timeout = 60_000 });
            interactive.Add(watch.Elapsed.TotalMilliseconds);
        }

        Assert.True(shown[0] < BrowserBudget.TotalMilliseconds, $"{what}: data shown after {shown[0]:0} ms");
        var line = $"chromium, {what}: data shown {Join(shown)} ms; interactive {Join(interactive)} ms";
        output.WriteLine(line);
        return line;
    }

    private static string Join(IEnumerable<double> times) => string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
