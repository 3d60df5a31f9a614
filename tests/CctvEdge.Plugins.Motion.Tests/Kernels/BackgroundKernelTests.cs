using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class BackgroundKernelTests
{
    [Theory]
    [MemberData(nameof(KernelPathData.VectorPaths), MemberType = typeof(KernelPathData))]
    public void Update_VectorPath_MatchesScalarOverRandomFrameSequences(string path)
    {
        var random = new Random(3);
        foreach (var rates in new[] { new BackgroundRates(25, 13, 1), new BackgroundRates(1, 256, 256), new BackgroundRates(254, 1, 1), new BackgroundRates(10, 200, 40) })
        {
            const int words = 9;
            var watched = Enumerable.Range(0, words).Select(_ => (ulong)random.NextInt64() | ((ulong)random.Next() << 40)).ToArray();
            var scalarModel = new ushort[words * 64];
            BackgroundKernel.Seed(KernelPathData.RandomBytes(random, words * 64), scalarModel);
            var vectorModel = scalarModel.ToArray();
            for (var frame = 0; frame < 20; frame++)
            {
                // Extremes on some frames: 0 and 255 are where 16-bit arithmetic would overflow or wrap.
                var pixels = frame % 5 == 4 ? KernelPathData.RandomBytes(random, words * 64, 250, 256) : KernelPathData.RandomBytes(random, words * 64, frame % 5 == 3 ? 0 : 60, frame % 5 == 3 ? 6 : 200);
                var scalarBits = new ulong[words];
                var vectorBits = new ulong[words];

                var scalarCount = BackgroundKernel.Update(KernelPath.Scalar, pixels, scalarModel, watched, scalarBits, rates);
                var vectorCount = BackgroundKernel.Update(KernelPathData.Parse(path), pixels, vectorModel, watched, vectorBits, rates);

                Assert.Equal(scalarModel, vectorModel);
                Assert.Equal(scalarBits, vectorBits);
                Assert.Equal(scalarCount, vectorCount);
            }
        }
    }

    [Fact]
    public void Update_PixelJumps_MarksItAndMovesBackgroundByRate()
    {
        var model = new ushort[64];
        BackgroundKernel.Seed(new byte[64], model);
        var frame = new byte[64];
        frame[5] = 200;
        var bits = new ulong[1];

        var count = BackgroundKernel.Update(KernelPath.Scalar, frame, model, [~0UL], bits, new BackgroundRates(25, 128, 64));

        Assert.Equal(1, count);
        Assert.Equal(1UL << 5, bits[0]);
        // A changed pixel learns at the moving rate: 200 * 256 * 64 / 256 = 200 * 64.
        Assert.Equal(200 * 64, model[5]);
    }

    [Fact]
    public void Update_ChangedPixelOutsideWatchedArea_NotMarked()
    {
        var model = new ushort[64];
        var frame = new byte[64];
        frame[5] = 200;
        var bits = new ulong[1];

        var count = BackgroundKernel.Update(KernelPaths.Best, frame, model, [~(1UL << 5)], bits, new BackgroundRates(25, 13, 1));

        Assert.Equal(0, count);
        Assert.Equal(0UL, bits[0]);
    }

    [Fact]
    public void Update_SteadyFrame_BackgroundConvergesToIt()
    {
        var model = new ushort[64];
        var frame = Enumerable.Repeat((byte)180, 64).ToArray();
        var bits = new ulong[1];

        for (var i = 0; i < 400; i++)
        {
            BackgroundKernel.Update(KernelPaths.Best, frame, model, [~0UL], bits, new BackgroundRates(25, 13, 13));
        }

        Assert.All(model, m => Assert.InRange(m, (180 << 8) - 20, 180 << 8));
        Assert.Equal(0UL, bits[0]);
    }
}
