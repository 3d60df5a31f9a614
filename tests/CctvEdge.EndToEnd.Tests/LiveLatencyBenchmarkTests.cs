using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Live view glass to glass on loopback: the synthetic camera burns the wall clock into its picture (Source:Clock),
/// and the page reads it back off each frame Chromium presents (a canvas copy of the video) against its own clock;
/// one machine, one clock. Measured for the old path (whole 1 s segments, Recording:FragmentMilliseconds 0) and for
/// 200 ms fragments (the default) and 100 ms ones, one network after the other in the same run. No timing budget: the figures go to
/// TestResults/bench-live-latency.txt (scripts/bench-live-latency.sh prints them); the test fails only when the clock
/// cannot be read or reads nonsense.
/// </summary>
// A benchmark (scripts/bench-live-*.sh runs it): scripts/test.sh leaves it out; the review app tests cover the feature.
[Trait("Category", "Benchmark")]
public sealed class LiveLatencyBenchmarkTests(ITestOutputHelper output)
{
    private static readonly int Samples = int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_BENCH_SAMPLES"), CultureInfo.InvariantCulture, out var n) ? n : 20;

    // Resolves with the latency of the next frame presented: the wall clock burned into it (bits of the ms since
    // 1970 modulo 2^bits, blocks along the top, least significant first) against the browser's clock when it showed.
    private const string ReadFrame = """
        ([bits, rowY]) => new Promise((resolve, reject) => {
          const video = document.querySelector('[data-testid=live-video]');
          const timeout = setTimeout(() => reject(new Error('no frame presented in 5 s')), 5000);
          video.requestVideoFrameCallback((now, frame) => {
            clearTimeout(timeout);
            const shown = performance.timeOrigin + frame.expectedDisplayTime;
            const canvas = document.createElement('canvas');
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            const context = canvas.getContext('2d', { willReadFrequently: true });
            context.drawImage(video, 0, 0);
            const row = context.getImageData(0, rowY, canvas.width, 1).data;
            const block = Math.floor(canvas.width / bits);
            let clock = 0;
            for (let bit = 0; bit < bits; bit++) {
              const x = bit * block + Math.floor(block / 2);
              if (row[x * 4 + 1] > 128) clock += 2 ** bit;
            }
            const modulus = 2 ** bits;
            resolve([((Math.round(shown) % modulus) - clock + modulus) % modulus, Number(document.querySelector('[data-testid=live-latency]').dataset.ms ?? -1)]);
          });
        })
        """;

    [Fact]
    public async Task LiveView_WholeSegmentsAgainstFragments_GlassToGlassFromTheBurnedInClock()
    {
        await using var browser = await Browser.LaunchAsync();
        var report = new List<string> { $"Live view glass to glass on loopback, 640x360 at 10 fps, 1 s segments, {Samples} frames each (ms)" };
        foreach (var (name, fragmentMs) in new[] { ("whole segments (before)", 0), ("200 ms fragments (after)", 200), ("100 ms fragments", 100) })
        {
            await using var network = await DemoNetwork.StartAsync(new NetworkOptions { YardClock = true, YardFragmentMilliseconds = fragmentMs });
            var page = await browser.OpenSignedInAsync(network.Server.WebAddress, "live/e2e-node/yard");
            await Browser.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=live-latency]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d s$"), new() { Timeout = 90_000 });
            // The first seconds catch up with the live edge.
            await page.WaitForTimeoutAsync(4000);
            var glass = new List<double>();
            var shown = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                var reading = await page.EvaluateAsync<double[]>(ReadFrame, new object[] { 18, 11 });
                glass.Add(reading[0]);
                shown.Add(reading[1]);
                await page.WaitForTimeoutAsync(250);
            }

            // A misread clock (no blocks, a wrong row) reads as minutes off.
            Assert.All(glass, ms => Assert.InRange(ms, 0, 10_000));
            report.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name,-26} p50 {Percentile(glass, 0.5),5:0}   max {glass.Max(),5:0}   min {glass.Min(),5:0}   (the page's own estimate: p50 {Percentile(shown, 0.5),5:0})"));
            await Browser.ScreenshotAsync(page, $"live-latency-{fragmentMs}ms");
            await page.Context.CloseAsync();
        }

        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "TestResults"));
        await File.WriteAllLinesAsync(Path.Combine(RepositoryPaths.Root, "TestResults", "bench-live-latency.txt"), report);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Count - 1))];
    }
}
