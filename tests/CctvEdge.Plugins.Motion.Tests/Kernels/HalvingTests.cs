using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class HalvingTests
{
    [Fact]
    public void Apply_ScalarPath_AveragesEachTwoByTwoBlockRounded()
    {
        byte[] source =
        [
            0, 1, 10, 20, 255,
            2, 2, 30, 41, 255,
            9, 9, 9, 9, 9,
        ];
        var target = new byte[2];

        Halving.Apply(KernelPath.Scalar, source, 5, 5, 3, target, 2);

        // (0+1+2+2+2)>>2 = 1; (10+20+30+41+2)>>2 = 25; the odd last column and row are dropped.
        Assert.Equal([1, 25], target);
    }

    [Theory]
    [MemberData(nameof(KernelPathData.VectorPaths), MemberType = typeof(KernelPathData))]
    public void Apply_VectorPath_MatchesScalarOnRandomFrames(string path)
    {
        var random = new Random(11);
        foreach (var width in KernelPathData.Widths.Where(w => w >= 2).Append(129).Append(640))
        {
            var height = random.Next(2, 9);
            var stride = width + random.Next(0, 5);
            var source = KernelPathData.RandomBytes(random, stride * height);
            var expected = new byte[(width / 2) * (height / 2)];
            var actual = new byte[expected.Length];

            Halving.Apply(KernelPath.Scalar, source, stride, width, height, expected, width / 2);
            Halving.Apply(KernelPathData.Parse(path), source, stride, width, height, actual, width / 2);

            Assert.Equal(expected, actual);
        }
    }
}
