using CctvEdge.Node.Plugins;

namespace CctvEdge.Node.Tests;

public sealed class FrameScalerTests
{
    [Fact]
    public void Scale_HalfSize_AveragesEachTwoByTwoBlock()
    {
        byte[] source =
        [
            0, 10, 100, 100,
            20, 30, 100, 100,
            255, 255, 1, 3,
            255, 255, 5, 7,
        ];
        var target = new byte[4];

        FrameScaler.Scale(source, 4, 4, target, 2, 2);

        Assert.Equal([15, 100, 255, 4], target);
    }

    [Fact]
    public void Scale_DoubleSize_RepeatsPixels()
    {
        byte[] source = [1, 2, 3, 4];
        var target = new byte[16];

        FrameScaler.Scale(source, 2, 2, target, 4, 4);

        Assert.Equal([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], target);
    }

    [Fact]
    public void Scale_RgbHalfSize_AveragesEachChannelApart()
    {
        // 2x2 RGB pixels: red, green, blue, white -> one pixel, each channel its own mean.
        byte[] source = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];
        var target = new byte[3];

        FrameScaler.Scale(source, 2, 2, target, 1, 1, channels: 3);

        Assert.Equal([128, 128, 128], target);
    }
}
