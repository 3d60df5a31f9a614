using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;

namespace CctvEdge.Node.Tests;

public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void Build_Rtsp_UsesTcpTimeoutAndUrlWithoutRealTimePacing()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(CameraSourceKinds.Rtsp), "/data/snap.jpg");

        Assert.Equal(["-rtsp_transport", "tcp", "-timeout", "10000000", "-i", "rtsp://192.0.2.10/stream"], args.SkipWhile(a => a != "-rtsp_transport").Take(6));
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
    public void Build_File_LoopsAtRealTime()
    {
        var args = FfmpegArguments.Build(TestCamera.Options(CameraSourceKinds.File), "/data/snap.jpg");

        Assert.Equal(["-re", "-stream_loop", "-1", "-i", "/tmp/x.mp4"], args.SkipWhile(a => a != "-re").Take(5));
    }
}
