using System.Diagnostics;
using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// A node with 16 cameras: how soon the live grid paints its tiles, and what server, node agent and ffmpegs spend
/// with nobody watching, with the grid open, and with the same 16 cameras open as live streams instead. The only
/// budget is loose (every tile within 10 s on a shared two-core machine); the figures go to
/// TestResults/bench-live-grid.txt (scripts/bench-live-grid.sh prints them).
/// </summary>
public sealed class LiveGridBenchmarkTests(ITestOutputHelper output)
{
    private const int Cameras = 16;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_BENCH_WINDOW"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 10);

    [Fact]
    public async Task SixteenCameras_GridPaintsEveryTile_CpuMeasuredAgainstSixteenLiveStreams()
    {
        // The yard camera and 15 small ones (320x180 at 5 fps, recording on so they can stream live).
        var extra = Enumerable.Range(1, Cameras - 1).Select(i => $"cam{i:00}").ToArray();
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { ExtraCameras = extra, RecordMotion = true });
        await using var browser = await Browser.LaunchAsync();
        var report = new List<string> { $"{Cameras} cameras on one node; CPU in % of one core over {Window.TotalSeconds:0} s windows" };

        // Every camera has sent its first snapshot before anything is timed: the grid then shows what exists.
        var grid = await browser.OpenSignedInAsync(network.Server.WebAddress, "live");
        await Assertions.Expect(grid.Locator("[data-testid=grid-snapshot]")).ToHaveCountAsync(Cameras, new() { Timeout = 90_000 });
        await grid.Context.CloseAsync();
        // The start's catching up (first clips, thumbnails, the closed page's circuit) settles before the quiet window.
        await Task.Delay(TimeSpan.FromSeconds(5));
        report.Add(await MeasureAsync(network, "nobody watching"));

        grid = await browser.OpenSignedInAsync(network.Server.WebAddress);
        var opened = Stopwatch.StartNew();
        await grid.GotoAsync(new Uri(network.Server.WebAddress, "live").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await grid.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=grid-snapshot]')].some(i => i.complete && i.naturalWidth > 0)", null, new() { PollingInterval = 20 });
        var first = opened.Elapsed;
        await grid.WaitForFunctionAsync($"() => [...document.querySelectorAll('[data-testid=grid-snapshot]')].filter(i => i.complete && i.naturalWidth > 0).length >= {Cameras}", null, new() { PollingInterval = 20 });
        var all = opened.Elapsed;
        report.Add($"grid opened: first tile painted {first.TotalSeconds:0.00} s, all {Cameras} painted {all.TotalSeconds:0.00} s after the request");
        Assert.True(all < TimeSpan.FromSeconds(10), $"all tiles took {all.TotalSeconds:0.0} s");
        await Browser.ScreenshotAsync(grid, "live-grid-16");
        // Following starts with the first render; let the nodes' paced snapshots settle in before measuring.
        await Task.Delay(TimeSpan.FromSeconds(3));
        report.Add(await MeasureAsync(network, "live grid open"));
        await grid.Context.CloseAsync();

        // The same cameras as 16 live streams: 16 viewers reading /media/live as the live page does. Read by HTTP
        // clients rather than 16 Chromium tabs, which on two cores spend the machine on decoding video and would
        // starve the programs being measured; what the server and the node do per viewer is the same.
        using var stop = new CancellationTokenSource();
        var received = new long[Cameras];
        var viewers = extra.Prepend("yard").Select((camera, i) => ReadLiveAsync(network, camera, received, i, stop.Token)).ToList();
        await Eventually.GetAsync(() => Task.FromResult(received.All(r => r > 0) ? new object() : null), TimeSpan.FromSeconds(90), "every live stream delivering video");
        var bytesBefore = received.Sum();
        var streamClock = Stopwatch.StartNew();
        report.Add(await MeasureAsync(network, $"{Cameras} live streams open"));
        report.Add($"live streams delivered {(received.Sum() - bytesBefore) / streamClock.Elapsed.TotalSeconds / 1e6:0.00} MB/s to their viewers");
        await stop.CancelAsync();
        await Task.WhenAll(viewers);

        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults"));
        await File.WriteAllLinesAsync(Path.Combine(RepositoryPaths.Root, "TestResults", "bench-live-grid.txt"), report);
    }

    /// <summary>Reads one camera's live stream as a viewer until stopped, counting the bytes.</summary>
    private static async Task ReadLiveAsync(DemoNetwork network, string camera, long[] received, int index, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            using var response = await network.Http.GetAsync($"media/live/e2e-node/{camera}", HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(stop);
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                Interlocked.Add(ref received[index], read);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The measurement is over.
        }
    }

    /// <summary>CPU of the server, the node agent and the node's ffmpegs over one window.</summary>
    private static async Task<string> MeasureAsync(DemoNetwork network, string what)
    {
        var ffmpegs = ProcessCpu.Children(network.Node.Id);
        double Sum(IEnumerable<int> pids) => pids.Sum(ProcessCpu.Seconds);
        var before = (Server: ProcessCpu.Seconds(network.Server.Process.Id), Node: ProcessCpu.Seconds(network.Node.Id), Ffmpeg: Sum(ffmpegs));
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window);
        var wall = clock.Elapsed.TotalSeconds;
        var after = (Server: ProcessCpu.Seconds(network.Server.Process.Id), Node: ProcessCpu.Seconds(network.Node.Id), Ffmpeg: Sum(ffmpegs));
        Assert.True(after.Ffmpeg > before.Ffmpeg, "the cameras' ffmpegs ran");
        string Percent(double from, double to) => (100 * (to - from) / wall).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(6);
        return $"{what,-22} server {Percent(before.Server, after.Server)} %   node agent {Percent(before.Node, after.Node)} %   {ffmpegs.Count} ffmpegs {Percent(before.Ffmpeg, after.Ffmpeg)} %";
    }
}
