using System.Diagnostics;
using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;

namespace CctvEdge.Bench;

/// <summary>
/// Per-frame cost the plugin host adds: a frame offered through the camera's fan-out to a plugin instance (bounded
/// queue, loop task, call guard) and a no-op IFrameAnalyzer loaded from a plugin folder, against calling the same
/// analyzer directly. Frames go one at a time (ping-pong), so the figure is the latency a frame sees, thread hop
/// included, not a batched throughput.
/// </summary>
internal static class PluginHostBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        using var temp = new TempDirectory("cctvedge-bench");
        var folder = temp.Combine("plugins", "noop");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "noop-plugin")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(
            Path.Combine(folder, "plugin.json"),
            """{ "id": "noop", "version": "1.0.0", "sdkAbi": 1, "assembly": "CctvEdge.Bench.NoopPlugin.dll", "entryType": "CctvEdge.Bench.NoopPlugin.NoopPlugin" }""");
        var plugin = new PluginCatalog(temp.Combine("shadow"), NullLogger<PluginCatalog>.Instance).Load(folder);
        var camera = new CameraOptions { Id = "bench", Path = "Cameras:0", Source = new CameraSourceOptions { Kind = "synthetic" } };
        var worker = new CameraWorker(camera, new FfmpegOptions(), temp.Combine("camera"), new ProcessRunner(NullLogger<ProcessRunner>.Instance), TimeProvider.System, NullLogger.Instance);
        var frame = SharedFrame.Wrap(SharedFrame.Rent(320, 180), 320, 180, 1, DateTimeOffset.UtcNow);

        var direct = (IFrameAnalyzer)plugin.CreateInstance();
        var directRun = Measure(frames, () =>
        {
            var pending = direct.OnFrameAsync(new GrayFrame(frame.Pixels, 320, 180, 320, 1, frame.Timestamp), CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        });

        var limits = new CallLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await using var instance = new PluginInstance("noop", plugin, PluginAssignment.From(camera.Path, "noop", null), worker, a => null!, limits, NullLogger.Instance);
        await instance.StartAsync(CancellationToken.None);
        void Hosted()
        {
            var before = instance.Counters.Processed;
            worker.Frames.Dispatch(frame);
            var spin = new SpinWait();
            while (instance.Counters.Processed == before)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        var hostedRun = Measure(frames, Hosted);

        // The same path with the node's metrics on (Metrics:Port): OpenTelemetry aggregating every call into the
        // plugin-call histogram, behind the Prometheus listener the node serves. Measured between two runs without
        // them (A-B-A), so warm-up and drift on a shared box fall on both sides.
        Run meteredRun;
        using (OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddMeter(PluginMetrics.MeterName)
            .AddPrometheusHttpListener(listener =>
            {
                listener.Host = "127.0.0.1";
                listener.Port = FreePort.Next();
            })
            .Build())
        {
            meteredRun = Measure(frames, Hosted);
        }

        var hostedAgain = Measure(frames, Hosted);

        Console.WriteLine($"{"path",-34} {"mean µs",9} {"p50 µs",8} {"p99 µs",8} {"bytes/frame",12}");
        Print("direct call", directRun);
        Print("fan-out -> instance -> analyzer", hostedRun);
        Print("  ... with metrics on", meteredRun);
        Print("  ... without, again", hostedAgain);
        Console.WriteLine($"host overhead per frame: {hostedRun.Mean - directRun.Mean:0.0} µs mean, {hostedRun.P50 - directRun.P50:0.0} µs median; frames dropped: {instance.Counters.Dropped}");
        Console.WriteLine($"metrics overhead per frame: {meteredRun.Mean - ((hostedRun.Mean + hostedAgain.Mean) / 2):0.00} µs mean, {meteredRun.P50 - ((hostedRun.P50 + hostedAgain.P50) / 2):0.00} µs median (against the runs before and after)");
        return 0;
    }

    private static Run Measure(int frames, Action once)
    {
        for (var i = 0; i < Math.Min(frames, 2000); i++)
        {
            once();
        }

        var samples = new double[frames];
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < frames; i++)
        {
            var start = Stopwatch.GetTimestamp();
            once();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)frames;
        Array.Sort(samples);
        return new Run(samples.Average(), samples[frames / 2], samples[(int)(frames * 0.99)], bytes);
    }

    private static void Print(string name, Run run) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {run.Mean,9:0.00} {run.P50,8:0.00} {run.P99,8:0.00} {run.BytesPerFrame,12:0}"));

    private sealed record Run(double Mean, double P50, double P99, double BytesPerFrame);
}
