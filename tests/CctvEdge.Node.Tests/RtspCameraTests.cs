using System.Diagnostics;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>
/// The node against a real RTSP camera (GStreamer's RTSP server on loopback, <see cref="RtspCamera"/>) and real ffmpeg:
/// detection on the sub-stream with the main stream recorded as it comes; a camera that loses power for 20 s seen
/// offline with its reason, back when it returns, the outage one system event; a wrong password said in words and
/// never shown.
/// </summary>
[Collection(RtspCameraCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RtspCameraTests(RtspCameraFixture fixture) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task MainAndSubStreams_DetectionReadsTheSub_TheMainIsRecordedAsItComes()
    {
        var options = Options(fixture.Camera.MainUrl, fixture.Camera.SubUrl);
        var camera = TestCamera.Create(_temp.Path, options: options);
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        // Past the start: the main stream's first seconds, held while the sub-stream was probed, arrive in a burst that
        // is cut into several segments within one wall-clock second.
        await Eventually.TrueAsync(() => TestCamera.Recorded(camera).Count >= 4, Timeout, "four recorded segments");
        var recorded = TestCamera.Recorded(camera);
        var frames = camera.Status.Read().FramesTotal;
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        // Each segment has its own file (they were once named by the second and the later overwrote the earlier), they
        // follow each other in time, and each is the main stream's picture (640x360), copied: the sub-stream is 320x180.
        Assert.Equal(recorded.Count, recorded.Select(s => s.Path).Distinct(StringComparer.Ordinal).Count());
        Assert.All(recorded.Zip(recorded.Skip(1)), pair => Assert.True(
            Math.Abs((pair.Second.Start - pair.First.End).TotalSeconds) < 0.2, $"{pair.First.End:O} then {pair.Second.Start:O}"));
        foreach (var segment in recorded)
        {
            Assert.Equal("h264,640,360", await ProbeAsync(segment.Path));
        }

        Assert.True(frames >= 5, $"only {frames} detection frames");
        Assert.NotNull(camera.Snapshots.Latest);
    }

    [Fact]
    public async Task CameraDownFor20Seconds_OfflineWithItsReason_BackWhenItReturns_OneOutageEvent()
    {
        await using var camera = await RtspCamera.StartAsync();
        await using var outbox = await TestOutbox.OpenAsync();
        var outages = new CameraOutages(outbox.Results, TimeProvider.System, NullLogger<CameraOutages>.Instance);
        var options = Options(camera.MainUrl, camera.SubUrl);
        options.StallSeconds = 8;
        var worker = TestCamera.Create(_temp.Path, ffmpeg: new FfmpegOptions { RestartMinSeconds = 1, RestartMaxSeconds = 2, StopTimeoutSeconds = 2 }, options: options);
        outages.Watch(worker);
        var states = new List<(CameraRunState State, string Error, DateTimeOffset At)>();
        worker.Status.Changed += (state, error) => { lock (states) { states.Add((state, error, DateTimeOffset.UtcNow)); } };
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync(stop.Token);
        await WaitForAsync(worker, CameraRunState.Running, "the camera to run");
        var down = DateTimeOffset.UtcNow;
        await camera.StopAsync();
        await WaitForAsync(worker, CameraRunState.Failed, "the camera to be seen offline");
        var seenOffline = DateTimeOffset.UtcNow;
        var reason = worker.Status.Read().Error;
        await Task.Delay(TimeSpan.FromSeconds(20) - (seenOffline - down));
        var stillOffline = worker.Status.Read().State;
        await camera.StartAgainAsync();
        await WaitForAsync(worker, CameraRunState.Running, "the camera to come back");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
        await outages.FlushAsync();

        Assert.InRange((seenOffline - down).TotalSeconds, 0, 10);
        Assert.Equal(CameraRunState.Failed, stillOffline);
        Assert.Matches("connection refused|no frames|stalled|timed out|ffmpeg exited", reason);
        Assert.DoesNotContain(RtspCamera.Password, reason, StringComparison.Ordinal);
        lock (states)
        {
            // Running, then offline through every retry of the 20 s (never "starting" again), then running, then stopped.
            var sequence = states.Select(s => s.State).Where((state, i) => i == 0 || state != states[i - 1].State).ToList();
            Assert.Equal([CameraRunState.Running, CameraRunState.Failed, CameraRunState.Running, CameraRunState.Stopped], sequence);
        }

        var results = await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None);
        Assert.Equal(2, results.Count);
        Assert.Equal(results[0].Event.EventId, results[1].Event.EventId);
        var end = Assert.IsType<Google.Protobuf.WellKnownTypes.Timestamp>(results[1].Event.End).ToDateTimeOffset();
        Assert.InRange((end - results[1].Event.Start.ToDateTimeOffset()).TotalSeconds, 18, 60);
        var payload = JsonDocument.Parse(results[1].Event.PayloadJson).RootElement;
        Assert.Equal(CameraOutages.Type, payload.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WrongPassword_IsUnauthorized_AndThePasswordNeverShows()
    {
        var options = Options(fixture.Camera.Url("main", password: "not-the-password-9"), sub: "");
        var log = new FakeLogger<ProcessRunner>();
        var camera = TestCamera.Create(_temp.Path, new ProcessRunner(log), new FfmpegOptions { RestartMinSeconds = 30, RestartMaxSeconds = 30 }, options);
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await WaitForAsync(camera, CameraRunState.Failed, "the camera to fail");
        var error = camera.Status.Read().Error;
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.StartsWith("unauthorized: check the camera's user and password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-9", error, StringComparison.Ordinal);
        // ffmpeg's own lines, logged for debugging, carry the URL: redacted too.
        var logged = log.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(logged, m => m.Contains("admin:***@127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, m => m.Contains("not-the-password-9", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    private static CameraOptions Options(string main, string sub)
    {
        var options = TestCamera.Options(CameraSourceKinds.Rtsp);
        options.Source.Url = "";
        options.Source.MainUrl = main;
        options.Source.SubUrl = sub;
        options.Recording.SegmentSeconds = 2;
        return options;
    }

    /// <summary>Waits for the camera to reach <paramref name="state"/>; a timeout says where it was and why.</summary>
    private static async Task WaitForAsync(CameraWorker camera, CameraRunState state, string what)
    {
        try
        {
            await Eventually.TrueAsync(() => camera.Status.Read().State == state, Timeout, what);
        }
        catch (TimeoutException ex)
        {
            var (now, error, frames, _, _) = camera.Status.Read();
            throw new TimeoutException($"{ex.Message} It is {now} ({error}) after {frames} frames.", ex);
        }
    }

    private static async Task<string> ProbeAsync(string path)
    {
        await using var probe = ChildProcess.Start("ffprobe", "ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path], Path.GetDirectoryName(path)!);
        Assert.True(await probe.WaitForExitAsync(Timeout) == 0, $"ffprobe {path}: {probe.Output}");
        return probe.Output.Trim();
    }
}

/// <summary>One RTSP camera for the tests that only watch it (the outage test has its own, as it switches it off).</summary>
public sealed class RtspCameraFixture : IAsyncLifetime
{
    public RtspCamera Camera { get; private set; } = null!;

    public async Task InitializeAsync() => Camera = await RtspCamera.StartAsync();

    public async Task DisposeAsync() => await Camera.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RtspCameraCollection : ICollectionFixture<RtspCameraFixture>
{
    public const string Name = "rtsp camera";
}
