using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Nothing is lost: kill either side mid-upload, cut the link, corrupt a chunk, fill the server's clip disk; every clip
/// still arrives exactly once and intact. Continuous recording makes the clips predictable: back-to-back windows.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task NodeKilledMidUpload_Restarted_ClipArrivesOnceWithItsHash()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { ContinuousClipSeconds = 6, UploadKilobytesPerSecond = 100 });
        var (clipId, sha256) = await WaitForPartialUploadAsync(network);

        await network.KillAndRestartNodeAsync();

        var stored = await WaitForStoredAsync(network, clipId);
        Assert.Equal(sha256, await DownloadHashAsync(network, stored));
        await AssertEachWindowOnceAsync(network);
    }

    [Fact]
    public async Task ServerKilledMidUpload_Restarted_ClipArrivesOnceWithItsHash()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { ContinuousClipSeconds = 6, UploadKilobytesPerSecond = 100 });
        var (clipId, sha256) = await WaitForPartialUploadAsync(network);

        await network.KillAndRestartServerAsync();

        var stored = await WaitForStoredAsync(network, clipId);
        Assert.Equal(sha256, await DownloadHashAsync(network, stored));
        await AssertEachWindowOnceAsync(network);
    }

    [Fact]
    public async Task LinkCutWhileRecording_Restored_EventsAndClipsArriveInOrderNoneTwiceNoGap()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { Proxy = true, ContinuousClipSeconds = 4 });
        await network.WaitForEventsAsync(1, Long);
        await Eventually.GetAsync(async () => (await network.ClipsAsync()).Length >= 1 ? new object() : null, Long, "a first clip");

        network.Proxy!.Cut();
        var cutAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(20));
        network.Proxy.Restore();

        // Everything recorded during the cut must arrive: clips that start after the cut up to well past it.
        var clips = await Eventually.GetAsync(async () =>
        {
            var all = (await network.ClipsAsync()).Where(c => c.GetProperty("state").GetString() == "stored").ToArray();
            return all.Any(c => c.GetProperty("start").GetDateTimeOffset() > cutAt.AddSeconds(25)) ? all : null;
        }, Long, "clips from during and after the cut");
        await AssertEachWindowOnceAsync(network);
        var events = await network.WaitForEventsAsync(2, Long);
        var byArrival = events.OrderBy(e => e.GetProperty("id").GetInt64()).Select(e => e.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.Equal(byArrival.Order(), byArrival);
        Assert.Contains(events, e => e.GetProperty("start").GetDateTimeOffset() > cutAt && e.GetProperty("start").GetDateTimeOffset() < cutAt.AddSeconds(20));
        output.WriteLine($"{clips.Length} clips, {events.Length} events stored");
    }

    [Fact]
    public async Task ChunkCorruptedOnTheWire_Refused_ResentAndStoredIntact()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { Proxy = true, ContinuousClipSeconds = 6, UploadKilobytesPerSecond = 100 });
        var file = await Eventually.GetAsync(() => Task.FromResult(Directory.Exists(network.NodeClips) ? Directory.GetFiles(network.NodeClips, "*.mp4").FirstOrDefault() : null), Long, "a cut clip on the node");
        var bytes = await File.ReadAllBytesAsync(file);
        var clipId = Path.GetFileNameWithoutExtension(file);
        // Markers from the second half, which the capped upload reaches only seconds from now.
        network.Proxy!.CorruptOnce(Enumerable.Range(0, 8).Select(i => bytes.AsSpan((bytes.Length / 2) + (i * bytes.Length / 20), 24).ToArray()));

        var stored = await WaitForStoredAsync(network, clipId);

        Assert.Equal(1, network.Proxy.Corruptions);
        Assert.Contains("failed its CRC-32C and was refused", network.Server.Process.Output, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), await DownloadHashAsync(network, stored));
    }

    [Fact]
    public async Task ServerClipDiskFull_UploadsRefusedVisiblyNodeKeepsClips_ResumeOnceFreed()
    {
        using var disk = await SmallDisk.MountAsync(64);
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions
        {
            ContinuousClipSeconds = 4,
            ServerArguments = ["--Server:ClipsDirectory", disk.Path, "--Server:ClipStoreMinFreeMegabytes", "0", "--Retention:MinFreeGigabytes", "0"],
        });
        var filler = disk.Fill(leaveBytes: 100_000);

        var refused = await Eventually.GetValueAsync(async () =>
        {
            var node = await network.NodeStatusAsync();
            var uploads = node.GetProperty("uploads");
            return uploads.GetProperty("error").GetString()!.Contains("full", StringComparison.Ordinal) && uploads.GetProperty("pendingClips").GetInt64() >= 2 ? node : (JsonElement?)null;
        }, Long, "the node to report refused uploads with clips waiting");
        Assert.DoesNotContain(await network.ClipsAsync(), c => c.GetProperty("state").GetString() == "stored");
        Assert.NotEmpty(Directory.GetFiles(network.NodeClips, "*.mp4"));

        File.Delete(filler);

        await Eventually.GetValueAsync(async () =>
        {
            var uploads = (await network.NodeStatusAsync()).GetProperty("uploads");
            var stored = (await network.ClipsAsync()).Count(c => c.GetProperty("state").GetString() == "stored");
            return stored >= 3 && uploads.GetProperty("error").GetString() == "" ? uploads : (JsonElement?)null;
        }, Long, "uploads to resume once space is free");
        await AssertEachWindowOnceAsync(network);
        output.WriteLine(refused.GetProperty("uploads").ToString());
    }

    /// <summary>Waits until the server holds part of a clip; returns its id and the node's hash of it.</summary>
    private static async Task<(string ClipId, string Sha256)> WaitForPartialUploadAsync(DemoNetwork network)
    {
        var uploads = Path.Combine(network.ServerData, "clips", ".uploads");
        var part = await Eventually.GetAsync(
            () => Task.FromResult(Directory.Exists(uploads) ? Directory.GetFiles(uploads, "*.part").FirstOrDefault(p => new FileInfo(p).Length > 100_000) : null),
            Long,
            "a clip upload to be under way");
        var clipId = Path.GetFileNameWithoutExtension(part);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(network.NodeClips, clipId + ".mp4"))));
        Assert.True(new FileInfo(part).Length < new FileInfo(Path.Combine(network.NodeClips, clipId + ".mp4")).Length, "the upload is only partial");
        return (clipId, sha256);
    }

    private static Task<JsonElement> WaitForStoredAsync(DemoNetwork network, string clipId) =>
        Eventually.GetValueAsync(async () =>
            (await network.ClipsAsync()).FirstOrDefault(c => c.GetProperty("id").GetString() == clipId && c.GetProperty("state").GetString() == "stored") is { ValueKind: JsonValueKind.Object } clip ? clip : (JsonElement?)null,
            Long,
            $"clip {clipId} to be stored");

    private static async Task<string> DownloadHashAsync(DemoNetwork network, JsonElement clip)
    {
        var bytes = await network.Http.GetByteArrayAsync(clip.GetProperty("url").GetString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(clip.GetProperty("sha256").GetString(), hash);
        return hash;
    }

    /// <summary>Continuous windows partition the recording: each clip once, each starting where the last ended.</summary>
    private static async Task AssertEachWindowOnceAsync(DemoNetwork network)
    {
        var stored = (await network.ClipsAsync())
            .Where(c => c.GetProperty("state").GetString() == "stored" && c.GetProperty("reason").GetString() == "continuous")
            .Select(c => (Start: c.GetProperty("start").GetDateTimeOffset(), End: c.GetProperty("end").GetDateTimeOffset()))
            .OrderBy(c => c.Start)
            .ToList();
        Assert.Equal(stored.Count, stored.Select(c => c.Start).Distinct().Count());
        for (var i = 1; i < stored.Count; i++)
        {
            Assert.True(Math.Abs((stored[i].Start - stored[i - 1].End).TotalSeconds) < 0.01, $"gap or overlap between clips ending {stored[i - 1].End:O} and starting {stored[i].Start:O}");
        }
    }

    /// <summary>A small real filesystem (tmpfs) to fill up, unmounted on dispose.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private readonly TempDirectory _mount = new("cctvedge-disk");

        public string Path => _mount.Path;

        public static async Task<SmallDisk> MountAsync(int megabytes)
        {
            var disk = new SmallDisk();
            var code = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", disk.Path);
            Assert.True(code == 0, "mounting a tmpfs for the full-disk test failed; the test needs root (CI runs as root)");
            return disk;
        }

        public string Fill(long leaveBytes)
        {
            var filler = System.IO.Path.Combine(Path, "filler.bin");
            var free = new DriveInfo(Path).AvailableFreeSpace;
            using var file = new FileStream(filler, FileMode.Create);
            file.SetLength(0);
            var block = new byte[1 << 20];
            for (long written = 0; written < free - leaveBytes;)
            {
                var size = (int)Math.Min(block.Length, free - leaveBytes - written);
                file.Write(block, 0, size);
                written += size;
            }

            return filler;
        }

        public void Dispose()
        {
            RunAsync("umount", "-l", Path).GetAwaiter().GetResult();
            _mount.Dispose();
        }

        private static async Task<int> RunAsync(string program, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return process.ExitCode;
        }
    }
}
