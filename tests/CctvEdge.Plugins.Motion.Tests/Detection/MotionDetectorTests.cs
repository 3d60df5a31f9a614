using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Detection;

public sealed class MotionDetectorTests
{
    [Fact]
    public void Process_StaticSceneWithSensorNoise_FindsNothing()
    {
        var detector = Detectors.Create();

        var worst = 0;
        for (var i = 0; i < 50; i++)
        {
            worst = Math.Max(worst, detector.Process(Frames.Scene(i, noise: 12), Frames.Width).MovingPixels);
        }

        Assert.Equal(0, worst);
    }

    [Fact]
    public void Process_SquareAppears_ReportsOneBlobAroundIt()
    {
        var detector = Detectors.Create();
        detector.Process(Frames.Scene(1, noise: 4), Frames.Width);

        var motion = detector.Process(Frames.Scene(2, noise: 4, square: (100, 60, 30)), Frames.Width);

        Assert.Equal(FrameKind.Compared, motion.Kind);
        var blob = Assert.Single(detector.Blobs.ToArray());
        // The blur spreads a strong edge by one pixel.
        Assert.InRange(blob.X, 98, 100);
        Assert.InRange(blob.Y, 58, 60);
        Assert.InRange(blob.Width, 30, 34);
        Assert.InRange(blob.Height, 30, 34);
        Assert.InRange(motion.MagnitudePercent, 900 * 100.0 / Frames.Pixels, 34 * 34 * 100.0 / Frames.Pixels);
    }

    [Fact]
    public void Process_WholeFrameBrightens_GlobalChangeThenQuietAgain()
    {
        var detector = Detectors.Create();
        detector.Process(Frames.Scene(1), Frames.Width);

        var jump = detector.Process(Frames.Scene(2, brightness: 80), Frames.Width);
        var after = detector.Process(Frames.Scene(3, brightness: 80), Frames.Width);

        Assert.Equal(FrameKind.GlobalChange, jump.Kind);
        Assert.Equal(0, jump.MovingPixels);
        Assert.Equal(FrameKind.Compared, after.Kind);
        Assert.Equal(0, after.ChangedPercent);
    }

    [Fact]
    public void Process_FrameOfWrongSize_ThrowsArgumentException()
    {
        var detector = Detectors.Create();

        Assert.Throws<ArgumentException>(() => detector.Process(new byte[100], 10));
    }

    [Fact]
    public void Process_SquareStopsThenLeaves_AbsorbedAfterAbsorbSecondsAndItsGhostToo()
    {
        // After AbsorbSeconds a changed pixel learns at Alpha (0.05 per frame): a square 135 levels brighter than the
        // ground then fades below the threshold in about 33 frames. Its ghost after it leaves goes the same way.
        var detector = Detectors.Create(new MotionSettings { AbsorbSeconds = 2 });
        detector.Process(Frames.Scene(0, noise: 3), Frames.Width);
        var moving = new List<int>();
        for (var i = 1; i <= 120; i++)
        {
            // Stopped for 12 s (60 frames at 5 fps), then gone for 12 s.
            moving.Add(detector.Process(Frames.Scene(i, noise: 3, square: i <= 60 ? (100, 60, 30) : null), Frames.Width).MovingPixels);
        }

        Assert.True(moving[8] > 800, "still seen 2 s after stopping");
        Assert.Equal(0, moving[59]);
        Assert.True(moving[60] > 800, "its departure is seen");
        Assert.Equal(0, moving[119]);
    }

    [Theory]
    [InlineData(0.004, false)]
    [InlineData(0.05, true)]
    public void Process_SquareWalksAcrossThenLeaves_GhostOnlyWithoutSelectiveUpdate(double foregroundAlpha, bool ghost)
    {
        // A plain running average (changed pixels learn as fast as still ones) keeps the walker's imprint after it
        // left; learning changed pixels slowly keeps the background clean.
        var detector = Detectors.Create(new MotionSettings { Alpha = 0.05, ForegroundAlpha = foregroundAlpha });
        detector.Process(Frames.Scene(0, noise: 3), Frames.Width);
        for (var i = 1; i <= 25; i++)
        {
            detector.Process(Frames.Scene(i, noise: 3, square: (100 + (2 * i), 60, 40)), Frames.Width);
        }

        var afterLeaving = detector.Process(Frames.Scene(26, noise: 3), Frames.Width);

        Assert.Equal(ghost, afterLeaving.MovingPixels > 0);
    }

    [Fact]
    public void Process_MotionInsideMask_Ignored()
    {
        var settings = new MotionSettings { Masks = [new MotionPolygon { Name = "road", Points = [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] }] };
        var detector = Detectors.Create(settings);
        detector.Process(Frames.Scene(1), Frames.Width);

        var masked = detector.Process(Frames.Scene(2, square: (40, 60, 30)), Frames.Width);
        var watched = detector.Process(Frames.Scene(3, square: (220, 60, 30)), Frames.Width);

        Assert.Equal(0, masked.MovingPixels);
        Assert.True(watched.MovingPixels > 800);
    }

    [Fact]
    public void Process_SquareInZone_ReportsZoneBit()
    {
        var settings = new MotionSettings
        {
            Zones = [new MotionPolygon { Name = "gate", Points = [[0, 0], [0.3, 0], [0.3, 1], [0, 1]] }, new MotionPolygon { Name = "yard", Points = [[0.6, 0], [1, 0], [1, 1], [0.6, 1]] }],
        };
        var detector = Detectors.Create(settings);
        detector.Process(Frames.Scene(1), Frames.Width);

        var motion = detector.Process(Frames.Scene(2, square: (220, 60, 30)), Frames.Width);

        Assert.Equal(0b10UL, motion.Zones);
    }

    [Fact]
    public void Process_TinyBlobBelowMinimumArea_NotCounted()
    {
        var detector = Detectors.Create(new MotionSettings { MinAreaPercent = 0.5 });
        detector.Process(Frames.Scene(1), Frames.Width);

        var motion = detector.Process(Frames.Scene(2, square: (100, 60, 12)), Frames.Width);

        Assert.True(motion.ChangedPercent > 0);
        Assert.Equal(0, motion.MovingPixels);
    }

    [Fact]
    public void Process_DownscaleTwo_BoxInDetectionPixels()
    {
        var detector = Detectors.Create(new MotionSettings { Downscale = 2 });
        detector.Process(Frames.Scene(1), Frames.Width);

        detector.Process(Frames.Scene(2, square: (100, 60, 40)), Frames.Width);

        Assert.Equal((160, 90), (detector.Layout.Width, detector.Layout.Height));
        var blob = Assert.Single(detector.Blobs.ToArray());
        Assert.InRange(blob.X, 48, 50);
        Assert.InRange(blob.Width, 20, 23);
    }

    [Theory]
    [MemberData(nameof(Kernels.KernelPathData.VectorPaths), MemberType = typeof(Kernels.KernelPathData))]
    public void Process_VectorAndScalarPipelines_AgreeFrameByFrame(string path)
    {
        var settings = new MotionSettings { Downscale = 2, BlurSize = 3 };
        var scalar = Detectors.Create(settings, 318, 180, KernelPath.Scalar);
        var vector = Detectors.Create(settings, 318, 180, Kernels.KernelPathData.Parse(path));
        var random = new Random(9);

        for (var i = 0; i < 40; i++)
        {
            var frame = Kernels.KernelPathData.RandomBytes(random, 320 * 180, 90, 110);
            frame.AsSpan((i % 20) * 320 * 8, 320 * 20).Fill(230);

            Assert.Equal(scalar.Process(frame, 320), vector.Process(frame, 320));
            Assert.Equal(scalar.Blobs.ToArray(), vector.Blobs.ToArray());
        }
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var detector = Detectors.Create(new MotionSettings { Zones = [new MotionPolygon { Name = "all", Points = [[0, 0], [1, 0], [1, 1], [0, 1]] }] });
        var quiet = Frames.Scene(1, noise: 4);
        var moving = Frames.Scene(2, noise: 4, square: (50, 50, 30));
        for (var i = 0; i < 20; i++)
        {
            detector.Process(i % 2 == 0 ? quiet : moving, Frames.Width);
        }

        var allocated = Allocations.OnThisThread(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                detector.Process(i % 2 == 0 ? quiet : moving, Frames.Width);
            }
        });

        Assert.Equal(0, allocated);
    }
}
