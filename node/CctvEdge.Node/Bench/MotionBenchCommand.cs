using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Bench;

/// <summary>
/// <c>cctvedge-node bench motion</c>: runs the motion plugin over raw gray footage on one thread and prints its cost
/// per frame, the frames with motion and the events. The plugin is loaded from the plugins folder exactly as the node
/// loads it and driven only through the SDK, with frame timestamps at the camera rate, so the numbers are the node's.
/// The output is an interface: people compare detectors on their own footage with it (see scripts/bench-motion.sh).
/// </summary>
internal static class MotionBenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        try
        {
            var options = MotionBenchOptions.Parse(args);
            var frames = await File.ReadAllBytesAsync(options.Input).ConfigureAwait(false);
            var frameBytes = options.Width * options.Height;
            if (frames.Length == 0 || frames.Length % frameBytes != 0)
            {
                throw new FormatException($"--input holds {frames.Length} bytes, not a whole number of {options.Width}x{options.Height} gray frames ({frameBytes} bytes each).");
            }

            var plugin = LoadMotionPlugin(options.PluginsDirectory ?? Path.Combine(AppContext.BaseDirectory, "plugins"));
            var settings = Settings(options.Config);

            // Tiered compilation promotes hot code only after a while: a separate instance warms it up first.
            await RunAsync(plugin, settings, options, frames, TimeSpan.FromSeconds(options.WarmupSeconds)).ConfigureAwait(false);
            var run = await RunAsync(plugin, settings, options, frames, TimeSpan.Zero).ConfigureAwait(false);
            Print(output, options, plugin, frames.Length / frameBytes, run);
            if (options.FlagsFile is not null)
            {
                await File.WriteAllLinesAsync(options.FlagsFile, run.Motion.Select(m => m ? "1" : "0")).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or PluginSettingsException or InvalidDataException)
        {
            await errors.WriteLineAsync($"cctvedge-node bench motion: {ex.Message}").ConfigureAwait(false);
            await errors.WriteLineAsync(MotionBenchOptions.Usage).ConfigureAwait(false);
            return 2;
        }
    }

    private static InstalledPlugin LoadMotionPlugin(string directory)
    {
        // The catalog loads from private copies of the plugin folders, so an author can rebuild in place meanwhile.
        var catalog = new PluginCatalog(Path.Combine(Path.GetTempPath(), "cctvedge-bench-plugins"), NullLogger<PluginCatalog>.Instance);
        catalog.LoadAll(directory);
        var plugin = catalog.Find("motion") ?? throw new FormatException($"no motion plugin in '{directory}' (--plugins DIR).");
        return plugin.IsLoaded ? plugin : throw new FormatException($"the motion plugin in '{plugin.Folder}' failed to load: {plugin.Error}");
    }

    /// <summary>The motion block of --config (a motion settings file, or a node config's first camera), magnitudes every frame.</summary>
    private static PluginAssignment Settings(string? file)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (file is not null)
        {
            var root = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).Build();
            var camera = root.GetSection("Cameras:0:Plugins:motion");
            var block = camera.Exists() ? PluginAssignment.From("Cameras:0", "motion", camera).Settings : Flatten(root);
            foreach (var (key, value) in block)
            {
                settings[key] = value;
            }
        }

        // One magnitude and threshold per frame tell which frames had motion.
        settings["MagnitudeIntervalSeconds"] = "0";
        return new PluginAssignment("motion", true, settings, "--config");
    }

    private static Dictionary<string, string> Flatten(IConfiguration root) =>
        root.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.OrdinalIgnoreCase);

    private static async Task<BenchRun> RunAsync(InstalledPlugin installed, PluginAssignment settings, MotionBenchOptions options, byte[] frames, TimeSpan warmup)
    {
        var results = new BenchResults();
        var camera = new CameraDescriptor("bench", "bench", options.Width, options.Height, options.Fps);
        var context = new PluginContext("motion", camera, settings, results, results, results, NullLogger.Instance, TimeProvider.System);
        var instance = (IFrameAnalyzer)installed.CreateInstance();
        await using var _ = instance.ConfigureAwait(false);
        await instance.StartAsync(context, CancellationToken.None).ConfigureAwait(false);

        var frameBytes = options.Width * options.Height;
        var count = frames.Length / frameBytes;
        var start = new DateTimeOffset(DateTime.SpecifyKind(DateTime.Today + options.Start, DateTimeKind.Local));
        var run = new BenchRun(start, new double[count], new bool[count], results.Events);
        var warmupUntil = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < count || Stopwatch.GetTimestamp() < warmupUntil; i++)
        {
            var frame = new GrayFrame(frames.AsMemory(i % count * frameBytes, frameBytes), options.Width, options.Height, options.Width, i, start.AddSeconds(i / options.Fps));
            var before = Stopwatch.GetTimestamp();
            await instance.OnFrameAsync(frame, CancellationToken.None).ConfigureAwait(false);
            if (i < count)
            {
                run.Milliseconds[i] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
                run.Motion[i] = results.LastMagnitude >= results.LastThreshold && results.LastMagnitude > 0;
            }
        }

        return run;
    }

    private static void Print(TextWriter output, MotionBenchOptions options, InstalledPlugin plugin, int count, BenchRun run)
    {
        var vectors = Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "none";
        var sorted = run.Milliseconds.Order().ToArray();
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant, $"motion bench: {count} frames of {options.Width}x{options.Height} from {options.Input} at {options.Fps} fps; plugin {plugin.Id} {plugin.Version}; SIMD {vectors}"));
        output.WriteLine(string.Create(invariant, $"ms/frame: mean {run.Milliseconds.Average():0.0000} p95 {sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(sorted.Length * 0.95) - 1)]:0.0000} (one thread, after {options.WarmupSeconds} s of warm-up)"));
        output.WriteLine(string.Create(invariant, $"frames with motion: {run.Motion.Count(m => m)} of {count}"));
        output.WriteLine(string.Create(invariant, $"events: {run.Events.Count}"));
        foreach (var e in run.Events)
        {
            var end = e.End is { } ended ? string.Create(invariant, $"{(ended - run.Start).TotalSeconds:0.0}") : "open";
            var zones = e.Zones.Count == 0 ? "-" : string.Join(",", e.Zones);
            var boxes = string.Join(" ", e.Boxes.Select(b => string.Create(invariant, $"[{b.X:0.000} {b.Y:0.000} {b.Width:0.000}x{b.Height:0.000}]")));
            output.WriteLine(string.Create(invariant, $"  {(e.Start - run.Start).TotalSeconds:0.0}-{end} s  peak {e.Peak:0.000} %  zones {zones}  boxes {boxes}"));
        }
    }

    private sealed record BenchRun(DateTimeOffset Start, double[] Milliseconds, bool[] Motion, List<PluginEvent> Events);
}
