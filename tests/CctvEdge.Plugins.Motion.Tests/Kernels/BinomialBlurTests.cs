using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class BinomialBlurTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Apply_ScalarPath_EqualsTwoDimensionalConvolutionWithReflectedBorders(int size)
    {
        var random = new Random(size);
        foreach (var (width, height) in new[] { (3, 3), (17, 5), (40, 23) })
        {
            var source = KernelPathData.RandomBytes(random, width * height);

            var actual = Blur(KernelPath.Scalar, size, source, width, height);

            Assert.Equal(Convolve(size, source, width, height), actual);
        }
    }

    [Theory]
    [MemberData(nameof(KernelPathData.VectorPaths), MemberType = typeof(KernelPathData))]
    public void Apply_VectorPath_MatchesScalarOnRandomFrames(string path)
    {
        var random = new Random(7);
        foreach (var size in new[] { 0, 3, 5 })
        {
            foreach (var width in KernelPathData.Widths)
            {
                var height = random.Next(3, 12);
                var source = KernelPathData.RandomBytes(random, width * height);

                Assert.Equal(Blur(KernelPath.Scalar, size, source, width, height), Blur(KernelPathData.Parse(path), size, source, width, height));
            }
        }
    }

    [Fact]
    public void Apply_UniformWhite_StaysWhite()
    {
        var source = Enumerable.Repeat((byte)255, 64 * 8).ToArray();

        Assert.All(Blur(KernelPaths.Best, 5, source, 64, 8), value => Assert.Equal(255, value));
    }

    private static byte[] Blur(KernelPath path, int size, byte[] source, int width, int height)
    {
        // A wider destination stride than the width, as the detector uses, to catch writes past the row.
        var stride = width + 7;
        var target = new byte[stride * height];
        BinomialBlur.Apply(path, size, source, width, target, stride, width, height, new ushort[BinomialBlur.RowBufferLength(width)]);
        var result = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            target.AsSpan(y * stride, width).CopyTo(result.AsSpan(y * width));
            Assert.All(target.AsSpan((y * stride) + width, 7).ToArray(), padding => Assert.Equal(0, padding));
        }

        return result;
    }

    private static byte[] Convolve(int size, byte[] source, int width, int height)
    {
        int[] weights = size == 5 ? [1, 4, 6, 4, 1] : [1, 2, 1];
        var radius = size / 2;
        var shift = size == 5 ? 8 : 4;
        var result = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0;
                for (var dy = -radius; dy <= radius; dy++)
                {
                    for (var dx = -radius; dx <= radius; dx++)
                    {
                        var sy = BinomialBlur.Reflect(y + dy, height);
                        var sx = BinomialBlur.Reflect(x + dx, width);
                        sum += weights[dy + radius] * weights[dx + radius] * source[(sy * width) + sx];
                    }
                }

                result[(y * width) + x] = (byte)((sum + (1 << (shift - 1))) >> shift);
            }
        }

        return result;
    }
}
