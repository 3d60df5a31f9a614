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

    [Fact]
    public async Task Run_ColourAskedWhileRunning_RestartsOnceAndDeliversRgbBesideGray()
    {
        var camera = TestCamera.Create(_temp.Path);
        var gray = new RecordingConsumer();
        var colour = new RecordingConsumer();
        camera.Frames.Add(gray);
        camera.ColorFrames.Add(colour);
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        // Gray frames are numbered from 1 in each ffmpeg run: the 1s count the runs.
        await Eventually.TrueAsync(() => gray.Numbers.Count >= 3, Timeout, "gray frames before any colour is asked for");
        Assert.Empty(colour.Numbers);
        var owner = new object();
        camera.ColorDemand.Add(owner, new ColorOutput(64, 36, 5));
        await Eventually.TrueAsync(() => colour.Numbers.Count >= 5, Timeout, "colour frames after the restart");
        Assert.Equal(2, gray.Numbers.Count(n => n == 1));
        camera.ColorDemand.Remove(owner);
        await Eventually.TrueAsync(() => gray.Numbers.Count(n => n == 1) == 3 && gray.Numbers[^1] >= 3, Timeout, "a third run, without colour");
        var colourAfter = colour.Numbers.Count;
        var grayAfter = gray.Numbers.Count;
        await Eventually.TrueAsync(() => gray.Numbers.Count >= grayAfter + 3, Timeout, "gray frames going on");
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.Equal(colourAfter, colour.Numbers.Count);
        Assert.All(colour.Sizes, s => Assert.Equal((64, 36), s));
        Assert.All(colour.Channels, c => Assert.Equal(3, c));
        Assert.NotEqual(CameraRunState.Failed, camera.Status.Read().State);
        Assert.Equal("", camera.Status.Read().Error);
    }

    public void Dispose() => _temp.Dispose();

    private sealed class RecordingConsumer : IFrameConsumer
    {
        private readonly List<long> _numbers = [];
        private readonly List<(int, int)> _sizes = [];
        private readonly List<int> _channels = [];

        public IReadOnlyList<int> Channels
        {
            get
            {
                lock (_numbers)
                {
                    return _channels.ToList();
                }
            }
        }

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
                _channels.Add(frame.Channels);
            }
        }
    }
}
