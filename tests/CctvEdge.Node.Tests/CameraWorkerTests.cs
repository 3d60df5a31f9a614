using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

public sealed class CameraWorkerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Run_FfmpegMissing_ReportsFailedWithInstallHintAndKeepsRetrying()
    {
        var camera = TestCamera.Create(_temp.Path, ffmpeg: new FfmpegOptions { Path = _temp.Combine("no-such-ffmpeg"), RestartMinSeconds = 0.1, RestartMaxSeconds = 0.2 });
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => camera.Status.Read().State == CameraRunState.Failed, Timeout, "the camera to report failure");
        var (_, error, _, _, _) = camera.Status.Read();
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.Contains("no-such-ffmpeg", error, StringComparison.Ordinal);
        Assert.Contains("apt install ffmpeg", error, StringComparison.Ordinal);
        Assert.Equal(CameraRunState.Stopped, camera.Status.Read().State);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_FakeFfmpegWritesFramesThenDies_FramesDeliveredAndExitReported()
    {
        // A stand-in for ffmpeg: three whole frames, half a frame, a complaint on stderr, exit code 1.
        var script = _temp.Combine("fake-ffmpeg.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nhead -c 187200 /dev/zero\necho 'camera unreachable' >&2\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var camera = TestCamera.Create(_temp.Path, ffmpeg: new FfmpegOptions { Path = script, RestartMinSeconds = 30, RestartMaxSeconds = 30 });
        var consumer = new RecordingConsumer();
        camera.Frames.Add(consumer);
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => camera.Status.Read().State == CameraRunState.Failed, Timeout, "the camera to report the exit");
        var failed = camera.Status.Read();
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.Equal([1L, 2, 3], consumer.Numbers);
        Assert.Contains("ffmpeg exited with code 1: camera unreachable", failed.Error, StringComparison.Ordinal);
        Assert.Equal(3, failed.FramesTotal);
    }

    [Fact]
    public async Task Run_RealFfmpegSyntheticSource_DeliversDetectionFramesAndSnapshot()
    {
        var camera = TestCamera.Create(_temp.Path);
        var consumer = new RecordingConsumer();
        camera.Frames.Add(consumer);
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => consumer.Numbers.Count >= 10 && camera.Snapshots.Latest is not null, Timeout, "frames and a snapshot from ffmpeg");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.All(consumer.Sizes, s => Assert.Equal((320, 180), s));
        Assert.True(SnapshotSlot.LooksComplete(camera.Snapshots.Latest!.Jpeg.Span));
        Assert.Null(camera.Process);
    }

    public void Dispose() => _temp.Dispose();

    private sealed class RecordingConsumer : IFrameConsumer
    {
        private readonly List<long> _numbers = [];
        private readonly List<(int, int)> _sizes = [];

        public IReadOnlyList<long> Numbers
        {
            get
            {
                lock (_numbers)
                {
                    return _numbers.ToList();
                }
            }
        }

        public IReadOnlyList<(int, int)> Sizes
        {
            get
            {
                lock (_numbers)
                {
                    return _sizes.ToList();
                }
            }
        }

        public void Offer(SharedFrame frame)
        {
            lock (_numbers)
            {
                _numbers.Add(frame.Number);
                _sizes.Add((frame.Width, frame.Height));
            }
        }
    }
}
