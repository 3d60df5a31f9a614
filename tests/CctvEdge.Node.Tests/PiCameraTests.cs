using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>
/// The Pi camera source against a stand-in for rpicam-vid (a script that records its arguments and writes H.264 on
/// stdout, as rpicam-vid does): frames flow through the node's pipe into ffmpeg, segments are recorded, both programs
/// stop with the camera; a missing or busy camera is said in words.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PiCameraTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task FramesFlowThroughThePipe_SegmentsAreRecorded_AndBothProgramsStop()
    {
        var arguments = _temp.Combine("rpicam-arguments.txt");
        var pid = _temp.Combine("rpicam.pid");
        var camera = Camera(FakeRpicam($"""
            echo "$@" > {arguments}
            echo $$ > {pid}
            exec ffmpeg -hide_banner -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=10 -c:v libx264 -preset ultrafast -bf 0 -g 10 -f h264 -
            """));
        using var stop = new CancellationTokenSource();

        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => TestCamera.Recorded(camera).Count >= 2 && camera.Status.Read().FramesTotal >= 5, Timeout, "frames and two segments");
        var producer = int.Parse(await File.ReadAllTextAsync(pid), System.Globalization.CultureInfo.InvariantCulture);
        var ffmpeg = camera.Process;
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);

        Assert.StartsWith("-t 0 -n --codec h264 --inline", await File.ReadAllTextAsync(arguments), StringComparison.Ordinal);
        Assert.Equal(CameraRunState.Stopped, camera.Status.Read().State);
        Assert.NotNull(ffmpeg);
        Assert.True(ffmpeg.Exited.IsCompleted, "ffmpeg still runs");
        Assert.False(Directory.Exists($"/proc/{producer}"), "the rpicam stand-in still runs");
    }

    [Fact]
    public async Task NoCamera_IsSaidInWords_WithTheProgramsOwnError()
    {
        var camera = Camera(FakeRpicam("echo 'ERROR: *** no cameras available ***' >&2\nexit 255"));

        var error = await TestCamera.FirstFailureAsync(camera);

        Assert.StartsWith("camera not found or busy", error, StringComparison.Ordinal);
        Assert.Contains("exited with code 255", error, StringComparison.Ordinal);
        Assert.Contains("no cameras available", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RpicamMissing_SaysWhatToInstall()
    {
        var error = await TestCamera.FirstFailureAsync(Camera(_temp.Combine("no-such-rpicam-vid")));

        Assert.Contains("could not be started", error, StringComparison.Ordinal);
        Assert.Contains("apt install rpicam-apps", error, StringComparison.Ordinal);
        Assert.Contains("Cameras:0:Source:Command", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private CameraWorker Camera(string command)
    {
        var options = TestCamera.Options(CameraSourceKinds.Rpicam);
        options.Source.Command = command;
        options.Recording.SegmentSeconds = 1;
        return TestCamera.Create(_temp.Path, ffmpeg: new FfmpegOptions { RestartMinSeconds = 30, RestartMaxSeconds = 30, StopTimeoutSeconds = 3 }, options: options);
    }

    private string FakeRpicam(string body) => TestCamera.FakeProgram(_temp, "rpicam-vid", body);
}
