using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>A camera worker for tests, plus a way to push frames through its fan-out as ffmpeg would.</summary>
internal static class TestCamera
{
    public static CameraOptions Options(string kind = CameraSourceKinds.Synthetic) => new()
    {
        Id = "yard",
        Name = "Yard",
        Path = "Cameras:0",
        Source = new CameraSourceOptions { Kind = kind, Url = "rtsp://192.0.2.10/stream", Path = "/tmp/x.mp4", Width = 640, Height = 360, Fps = 10 },
        Detect = new DetectOptions { Width = 320, Height = 180, Fps = 5 },
        SnapshotSeconds = 1,
    };

    public static CameraWorker Create(string directory, IProcessRunner? runner = null, FfmpegOptions? ffmpeg = null, CameraOptions? options = null) =>
        new(options ?? Options(), ffmpeg ?? new FfmpegOptions { RestartMinSeconds = 0.1, RestartMaxSeconds = 0.2 }, directory, runner ?? new ProcessRunner(NullLogger<ProcessRunner>.Instance), TimeProvider.System, NullLogger.Instance);

    /// <summary>
    /// Dispatches <paramref name="count"/> gray frames stamped 0.2 s apart (5 fps) from <paramref name="start"/>, a few
    /// milliseconds apart in real time so a keeping-up plugin drops none.
    /// </summary>
    public static async Task FeedAsync(CameraWorker camera, int count, DateTimeOffset start, int firstNumber = 1)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(5);
            var buffer = SharedFrame.Rent(320, 180);
            buffer.AsSpan(0, 320 * 180).Fill((byte)(i % 256));
            var frame = SharedFrame.Wrap(buffer, 320, 180, firstNumber + i, start.AddSeconds(i * 0.2));
            camera.Frames.Dispatch(frame);
            frame.Release();
        }
    }

    /// <summary>Runs the camera until it first fails and returns the reason it gives.</summary>
    public static async Task<string> FirstFailureAsync(CameraWorker camera)
    {
        var timeout = TimeSpan.FromSeconds(30);
        using var stop = new CancellationTokenSource();
        var running = camera.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => camera.Status.Read().State == CameraRunState.Failed, timeout, "the camera to fail");
        var error = camera.Status.Read().Error;
        await stop.CancelAsync();
        await running.WaitAsync(timeout);
        return error;
    }

    /// <summary>A shell script standing in for a program (ffmpeg, rpicam-vid), written into <paramref name="temp"/>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string FakeProgram(TempDirectory temp, string name, string body)
    {
        var script = temp.Combine($"{name}-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>The segments the camera's ring holds now.</summary>
    public static IReadOnlyList<Node.Recording.Segment> Recorded(CameraWorker camera)
    {
        camera.Ring.Refresh();
        return camera.Ring.Segments;
    }
}

/// <summary>The node's cameras as the services that read them see them: these workers, ready at once.</summary>
internal sealed class TestCameraSet(params CameraWorker[] cameras) : ICameraSet
{
    public Task Ready => Task.CompletedTask;

    public IReadOnlyList<CameraWorker> Cameras => cameras;
}
