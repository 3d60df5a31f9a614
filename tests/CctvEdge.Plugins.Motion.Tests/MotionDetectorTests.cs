namespace CctvEdge.Plugins.Motion.Tests;

public sealed class MotionDetectorTests
{
    [Fact]
    public void Process_StaticSceneWithSensorNoise_StaysBelowMotionThreshold()
    {
        var settings = new MotionSettings();
        var detector = new MotionDetector(Frames.Width, Frames.Height, settings);

        var worst = 0.0;
        for (var i = 0; i < 50; i++)
        {
            worst = Math.Max(worst, detector.Process(Frames.Scene(i, noise: 8), Frames.Width).ChangedPercent);
        }

        Assert.True(worst < settings.MinChangedPercent, $"noise alone changed {worst} % of the pixels");
    }

    [Fact]
    public void Process_SquareAppears_ReportsItsShareAndBox()
    {
        var detector = new MotionDetector(Frames.Width, Frames.Height, new MotionSettings());
        detector.Process(Frames.Scene(1, noise: 4), Frames.Width);

        var motion = detector.Process(Frames.Scene(2, noise: 4, square: (100, 60, 30)), Frames.Width);

        Assert.False(motion.GlobalChange);
        Assert.InRange(motion.ChangedPercent, 900 * 100.0 / (Frames.Width * Frames.Height) * 0.9, 900 * 100.0 / (Frames.Width * Frames.Height) * 1.1);
        Assert.Equal((100, 60, 30, 30), motion.Box);
    }

    [Fact]
    public void Process_WholeFrameBrightens_GlobalChangeThenQuietAgain()
    {
        var detector = new MotionDetector(Frames.Width, Frames.Height, new MotionSettings());
        detector.Process(Frames.Scene(1), Frames.Width);

        var jump = detector.Process(Frames.Scene(2, brightness: 80), Frames.Width);
        var after = detector.Process(Frames.Scene(3, brightness: 80), Frames.Width);

        Assert.True(jump.GlobalChange);
        Assert.Null(jump.Box);
        Assert.Equal(0, after.ChangedPercent);
    }

    [Fact]
    public void Process_FrameOfWrongSize_ThrowsArgumentException()
    {
        var detector = new MotionDetector(Frames.Width, Frames.Height, new MotionSettings());

        Assert.Throws<ArgumentException>(() => detector.Process(new byte[100], 10));
    }

    [Fact]
    public void Process_SceneStaysChanged_BackgroundAbsorbsIt()
    {
        var detector = new MotionDetector(Frames.Width, Frames.Height, new MotionSettings { Alpha = 0.2 });
        detector.Process(Frames.Scene(1), Frames.Width);
        var parked = Frames.Scene(1, square: (10, 10, 20));

        var first = detector.Process(parked, Frames.Width).ChangedPercent;
        var later = 0.0;
        for (var i = 0; i < 40; i++)
        {
            later = detector.Process(parked, Frames.Width).ChangedPercent;
        }

        Assert.True(first > 0.5);
        Assert.Equal(0, later);
    }
}
