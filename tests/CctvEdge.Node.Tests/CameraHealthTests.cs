using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>
/// Camera outages as an installer sees them: the reason in words (and never a password), a stalled stream noticed
/// within its stall time, a failed camera that stays failed while it retries, and each outage a system event.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CameraHealthTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Unauthorized_IsSaidInWords_AndThePasswordNeverShows()
    {
        var camera = Camera(FakeFfmpeg("echo '[rtsp @ 0x5612] method DESCRIBE failed: 401 Unauthorized (rtsp://admin:hunter2@192.0.2.10:554/Streaming/Channels/101)' >&2\nexit 1"));

        var error = await TestCamera.FirstFailureAsync(camera);

        Assert.StartsWith("unauthorized: check the camera's user and password", error, StringComparison.Ordinal);
        Assert.Contains("rtsp://admin:***@192.0.2.10", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connection to tcp://192.0.2.10:554?timeout=0 failed: Connection refused", "connection refused")]
    [InlineData("Connection to tcp://192.0.2.10:554 failed: No route to host", "camera unreachable")]
    [InlineData("method DESCRIBE failed: 404 Not Found", "stream not found")]
    [InlineData("Invalid data found when processing input", "ffmpeg exited with code 1: Invalid data found")]
    public async Task FfmpegErrors_AreClassified(string stderr, string expected)
    {
        var error = await TestCamera.FirstFailureAsync(Camera(FakeFfmpeg($"echo '{stderr}' >&2\nexit 1")));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamStallsWithItsConnectionOpen_ReportedWithinTheStallTime_AndFfmpegStopped()
    {
        // Two frames (320x180 gray), then nothing, the process alive: a camera that hung.
        // No quick retry: the frames counted are this run's only.
        var camera = Camera(FakeFfmpeg("head -c 115200 /dev/zero\nexec sleep 300"), stallSeconds: 2, restartSeconds: 30);

        var started = DateTimeOffset.UtcNow;
        var error = await TestCamera.FirstFailureAsync(camera);

        Assert.Equal("no frames for 2 s: the stream stalled with its connection open", error);
        Assert.InRange((DateTimeOffset.UtcNow - started).TotalSeconds, 1.5, 10);
        Assert.Equal(2, camera.Status.Read().FramesTotal);
    }

    [Fact]
    public async Task NoVideoAfterConnecting_IsOffline_AndStaysFailedWhileItRetries()
    {
        var camera = Camera(FakeFfmpeg("exec sleep 300"), stallSeconds: 2);
        var states = new List<CameraRunState>();
        camera.Status.Changed += (state, _) => { lock (states) { states.Add(state); } };
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => camera.Status.Read().State == CameraRunState.Failed, Timeout, "the first failure");
        // The next attempt runs (restart after 0.1 s) and fails the same way; the camera never shows "starting" again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (state, error, _, _, _) = camera.Status.Read();
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.Equal(CameraRunState.Failed, state);
        Assert.Equal("no frames within 2 s of starting: the camera accepted the connection but sent no video", error);
        lock (states)
        {
            // Failed once, through both attempts, then stopped: no "starting" in between.
            Assert.Equal([CameraRunState.Failed, CameraRunState.Stopped], states);
        }
    }

    [Fact]
    public async Task Outage_OpensASystemEventWithItsReason_ClosedWhenFramesFlowAgain()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        var outages = new CameraOutages(outbox.Results, TimeProvider.System, NullLogger<CameraOutages>.Instance);
        var camera = TestCamera.Create(_temp.Path);
        outages.Watch(camera);

        camera.Status.FrameArrived(DateTimeOffset.UtcNow);
        camera.Status.Set(CameraRunState.Failed, "connection refused");
        camera.Status.Set(CameraRunState.Failed, "connection timed out");
        camera.Status.FrameArrived(DateTimeOffset.UtcNow);
        await outages.FlushAsync();

        var results = await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(("yard", "node", "system"), (r.CameraId, r.PluginId, r.Event.Kind)));
        Assert.Equal(results[0].Event.EventId, results[1].Event.EventId);
        Assert.Null(results[0].Event.End);
        Assert.NotNull(results[1].Event.End);
        var payload = JsonDocument.Parse(results[1].Event.PayloadJson).RootElement;
        Assert.Equal(("camera-offline", "connection refused"), (payload.GetProperty("type").GetString(), payload.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task CameraEndingWhileTheNodeStops_IsNoOutage()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        using var stopping = new CancellationTokenSource();
        var outages = new CameraOutages(outbox.Results, TimeProvider.System, NullLogger<CameraOutages>.Instance, new Lifetime(stopping.Token));
        var camera = TestCamera.Create(_temp.Path);
        outages.Watch(camera);

        camera.Status.FrameArrived(DateTimeOffset.UtcNow);
        await stopping.CancelAsync();
        camera.Status.Set(CameraRunState.Failed, "ffmpeg exited with code 255");
        camera.Status.Set(CameraRunState.Stopped);
        await outages.FlushAsync();

        Assert.Empty(await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();

    private sealed class Lifetime(CancellationToken stopping) : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private CameraWorker Camera(string ffmpeg, double stallSeconds = 10, double restartSeconds = 0.1)
    {
        var options = TestCamera.Options();
        options.StallSeconds = stallSeconds;
        return TestCamera.Create(_temp.Path, ffmpeg: new FfmpegOptions { Path = ffmpeg, RestartMinSeconds = restartSeconds, RestartMaxSeconds = restartSeconds, StopTimeoutSeconds = 1 }, options: options);
    }

    private string FakeFfmpeg(string body) => TestCamera.FakeProgram(_temp, "ffmpeg", body);
}
