using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;

namespace CctvEdge.Node.Tests;

public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void Build_Rtsp_UsesTcpTimeoutAndUrlWithoutRealTimePacing()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(CameraSourceKinds.Rtsp), "/data/snap.jpg");

        Assert.Equal(["-rtsp_transport", "tcp", "-timeout", "10000000", "-analyzeduration", "2000000", "-thread_queue_size", "512", "-i", "rtsp://192.0.2.10/stream"], args.SkipWhile(a => a != "-rtsp_transport").Take(10));
        Assert.DoesNotContain("-re", args);
    }

    [Fact]
    public void Build_Synthetic_GrayFramesOnStdoutAtDetectSizeAndAtomicSnapshots()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(), "/data/snap.jpg");
        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];

        Assert.Contains("lavfi", args);
        Assert.Contains("fps=5,scale=320:180:flags=area,format=gray", graph, StringComparison.Ordinal);
        Assert.Contains("fps=1,", graph, StringComparison.Ordinal);
        Assert.Equal(["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"], args.SkipWhile(a => a != "[gray]").Skip(1).Take(5));
        Assert.Equal("/data/snap.jpg", args[^1]);
        Assert.Contains("-atomic_writing", args);
    }

    [Fact]
    public void Build_ColourAsked_RgbBranchToTheSocketBesideGray()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(), "/data/snap.jpg", color: (new ColorOutput(640, 360, 2), "/tmp/c.sock"));
        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];

        Assert.StartsWith("[0:v]split=3[d][s][c];", graph, StringComparison.Ordinal);
        Assert.EndsWith(";[c]fps=2,scale=640:360:flags=area,format=rgb24[rgb]", graph, StringComparison.Ordinal);
        Assert.Equal(["-f", "rawvideo", "-pix_fmt", "rgb24", "unix:/tmp/c.sock"], args.SkipWhile(a => a != "[rgb]").Skip(1).Take(5));
        Assert.Equal(["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"], args.SkipWhile(a => a != "[gray]").Skip(1).Take(5));
    }

    [Fact]
    public void Build_NoColour_NoRgbBranch()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(), "/data/snap.jpg");

        Assert.DoesNotContain(args, a => a.Contains("rgb24", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(5, 1, "fps=1,")]
    [InlineData(5, 5, "fps=0.2,")]
    [InlineData(2, 0.5, "fps=2,")]
    public void Build_SnapshotPaces_FfmpegWritesAtTheFasterOne(double snapshotSeconds, double gridSeconds, string expected)
    {
        var camera = TestCamera.Options();
        camera.SnapshotSeconds = snapshotSeconds;
        camera.GridSnapshotSeconds = gridSeconds;

        var args = FfmpegArguments.Build(camera, "/data/snap.jpg");

        Assert.Contains("[s]" + expected, args[args.ToList().IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Recording_FragmentsFlushedForLiveViewUnlessTurnedOff()
    {
        var camera = TestCamera.Options();
        var fragmented = FfmpegArguments.Build(camera, "/data/snap.jpg", "/data/rec");
        camera.Recording.FragmentMilliseconds = 0;
        var whole = FfmpegArguments.Build(camera, "/data/snap.jpg", "/data/rec");

        Assert.Equal("movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=200000:flush_packets=1", fragmented[fragmented.ToList().IndexOf("-segment_format_options") + 1]);
        Assert.Equal("movflags=+frag_keyframe+empty_moov+default_base_moof", whole[whole.ToList().IndexOf("-segment_format_options") + 1]);
    }

    [Fact]
    public void Build_File_LoopsAtRealTime()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(CameraSourceKinds.File), "/data/snap.jpg");

        Assert.Equal(["-re", "-stream_loop", "-1", "-i", "/tmp/x.mp4"], args.SkipWhile(a => a != "-re").Take(5));
    }

    [Fact]
    public void Build_RtspWithSubStream_DetectsOnTheSubAndCopiesTheMainIntoSegments()
    {
        var camera = TestCamera.Options(CameraSourceKinds.Rtsp);
        camera.Source.MainUrl = "rtsp://192.0.2.10/main";
        camera.Source.SubUrl = "rtsp://192.0.2.10/sub";
        camera.Source.Transport = RtspTransports.Udp;

        var args = FfmpegArguments.Build(camera, "/data/snap.jpg", "/data/rec", runId: 7);
        var inputs = args.Select((a, i) => (a, i)).Where(p => p.a == "-i").Select(p => args[p.i + 1]).ToList();

        Assert.Equal(["rtsp://192.0.2.10/sub", "rtsp://192.0.2.10/main"], inputs);
        Assert.Equal(2, args.Count(a => a == "udp"));
        Assert.StartsWith("[0:v]split=2[d][s];", args[args.ToList().IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
        Assert.Equal(["-map", "1:v:0", "-c:v", "copy", "-f", "segment"], Around(args, "1:v:0", before: 1, count: 6));
        Assert.DoesNotContain("libx264", args);
    }

    [Fact]
    public void Build_RtspWithSubStream_NotRecording_OpensOnlyTheSub()
    {
        var camera = TestCamera.Options(CameraSourceKinds.Rtsp);
        camera.Source.SubUrl = "rtsp://192.0.2.10/sub";

        var args = FfmpegArguments.Build(camera, "/data/snap.jpg");

        Assert.Equal("rtsp://192.0.2.10/sub", Assert.Single(args.Select((a, i) => (a, i)).Where(p => p.a == "-i").Select(p => args[p.i + 1])));
    }

    [Fact]
    public void Build_UsbMjpeg_AsksForTheFormatAndEncodesTheRecordingWithTheConfiguredEncoder()
    {
        var camera = TestCamera.Options(CameraSourceKinds.V4l2);
        camera.Source.Device = "/dev/video2";
        camera.Source.InputFormat = V4l2Formats.Mjpeg;
        camera.Source.Encoder = "h264_v4l2m2m";
        camera.Source.BitrateKbps = 3000;

        var args = FfmpegArguments.Build(camera, "/data/snap.jpg", "/data/rec");

        Assert.Equal(["-f", "v4l2", "-input_format", "mjpeg", "-video_size", "640x360", "-framerate", "10", "-i", "/dev/video2"], Around(args, "v4l2", before: 1, count: 10));
        Assert.StartsWith("[0:v]split=3[d][s][m];", args[args.ToList().IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
        Assert.Equal(["-map", "[m]", "-c:v", "h264_v4l2m2m", "-bf", "0"], Around(args, "[m]", before: 1, count: 6));
        Assert.Equal("3000k", args[args.ToList().IndexOf("-b:v") + 1]);
        Assert.DoesNotContain("-preset", args);
    }

    [Fact]
    public void Build_UsbH264_IsCopied()
    {
        var camera = TestCamera.Options(CameraSourceKinds.V4l2);
        camera.Source.InputFormat = V4l2Formats.H264;

        var args = FfmpegArguments.Build(camera, "/data/snap.jpg", "/data/rec");

        Assert.Equal(["0:v:0", "-c:v", "copy"], args.SkipWhile(a => a != "0:v:0").Take(3));
        Assert.DoesNotContain("[m]", args);
    }

    [Fact]
    public void Build_PiCamera_ReadsRawH264FromStdinAndCopiesIt()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(CameraSourceKinds.Rpicam), "/data/snap.jpg", "/data/rec");

        Assert.Equal(["-f", "h264", "-framerate", "10", "-fflags", "+genpts", "-i", "pipe:0"], Around(args, "h264", before: 1, count: 8));
        Assert.Equal(["0:v:0", "-c:v", "copy"], args.SkipWhile(a => a != "0:v:0").Take(3));
    }

    [Fact]
    public void Rpicam_AsksForH264WithAKeyframePerSegment_OnStdout()
    {
        var source = TestCamera.Options(CameraSourceKinds.Rpicam).Source;
        source.CameraIndex = 1;

        var args = RpicamCommand.Arguments(source, segmentSeconds: 2);

        Assert.Equal(["-t", "0", "-n", "--codec", "h264", "--inline"], args.Take(6));
        Assert.Equal("20", args[args.ToList().IndexOf("--intra") + 1]);
        Assert.Equal("1", args[args.ToList().IndexOf("--camera") + 1]);
        Assert.Equal(("640", "360", "10"), (args[args.ToList().IndexOf("--width") + 1], args[args.ToList().IndexOf("--height") + 1], args[args.ToList().IndexOf("--framerate") + 1]));
        Assert.Equal(["-o", "-"], args.TakeLast(2));
    }

    [Fact]
    public void Rpicam_FindsRpicamVid_ElseLibcameraVid_UnlessConfigured()
    {
        using var temp = new CctvEdge.Harness.TempDirectory();
        var source = new CameraSourceOptions { Kind = CameraSourceKinds.Rpicam };
        File.WriteAllText(temp.Combine("libcamera-vid"), "");

        Assert.Equal("libcamera-vid", RpicamCommand.Resolve(source, "/nonexistent:" + temp.Path));
        File.WriteAllText(temp.Combine("rpicam-vid"), "");
        Assert.Equal("rpicam-vid", RpicamCommand.Resolve(source, temp.Path));
        Assert.Equal("rpicam-vid", RpicamCommand.Resolve(source, "/nonexistent"));
        source.Command = "/opt/camera/bin/rpicam-vid";
        Assert.Equal("/opt/camera/bin/rpicam-vid", RpicamCommand.Resolve(source, temp.Path));
    }

    /// <summary>The <paramref name="count"/> arguments starting <paramref name="before"/> ahead of <paramref name="anchor"/>.</summary>
    private static IEnumerable<string> Around(IReadOnlyList<string> args, string anchor, int before, int count)
    {
        var at = args.ToList().IndexOf(anchor);
        Assert.True(at >= before, $"'{anchor}' is not in: {string.Join(' ', args)}");
        return args.Skip(at - before).Take(count);
    }
}
