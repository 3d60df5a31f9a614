using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class BackgroundKernelTests
{
    [Theory]
    [MemberData(nameof(KernelPathData.VectorPaths), MemberType = typeof(KernelPathData))]
    public void Update_VectorPath_MatchesScalarOverRandomFrameSequences(string path)
    {
        var random = new Random(3);
        foreach (var rates in new[] { new BackgroundRates(25, 13, 1, 25), new BackgroundRates(1, 256, 256, 1), new BackgroundRates(254, 1, 1, 65535), new BackgroundRates(10, 200, 40, 3) })
        {
            const int words = 9;
            var watched = Enumerable.Range(0, words).Select(_ => (ulong)random.NextInt64() | ((ulong)random.Next() << 40)).ToArray();
            var scalarModel = new ushort[words * 64];
            var scalarAges = new ushort[words * 64];
            BackgroundKernel.Seed(KernelPathData.RandomBytes(random, words * 64), scalarModel, scalarAges);
            // Ages near the top of the range, where counting up must stop rather than wrap.
            scalarAges.AsSpan(0, 64).Fill(ushort.MaxValue - 3);
            var vectorModel = scalarModel.ToArray();
            var vectorAges = scalarAges.ToArray();
            for (var frame = 0; frame < 20; frame++)
            {
                // Extremes on some frames: 0 and 255 are where 16-bit arithmetic would overflow or wrap.
                var pixels = frame % 5 == 4 ? KernelPathData.RandomBytes(random, words * 64, 250, 256) : KernelPathData.RandomBytes(random, words * 64, frame % 5 == 3 ? 0 : 60, frame % 5 == 3 ? 6 : 200);
                var scalarBits = new ulong[words];
                var vectorBits = new ulong[words];

                var scalarCount = BackgroundKernel.Update(KernelPath.Scalar, pixels, scalarModel, scalarAges, watched, scalarBits, rates);
                var vectorCount = BackgroundKernel.Update(KernelPathData.Parse(path), pixels, vectorModel, vectorAges, watched, vectorBits, rates);

                Assert.Equal(scalarModel, vectorModel);
                Assert.Equal(scalarAges, vectorAges);
                Assert.Equal(scalarBits, vectorBits);
                Assert.Equal(scalarCount, vectorCount);
            }
        }
    }

    [Fact]
    public void Update_PixelJumps_MarksItAndMovesBackgroundByRate()
    {
        var model = new ushort[64];
        var frame = new byte[64];
        frame[5] = 200;
        var bits = new ulong[1];

        var count = BackgroundKernel.Update(KernelPath.Scalar, frame, model, new ushort[64], [~0UL], bits, new BackgroundRates(25, 128, 64, 10));

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

        var count = BackgroundKernel.Update(KernelPaths.Best, frame, model, new ushort[64], [~(1UL << 5)], bits, new BackgroundRates(25, 13, 1, 10));

        Assert.Equal(0, count);
        Assert.Equal(0UL, bits[0]);
    }

    [Fact]
    public void Update_SteadyFrame_BackgroundConvergesToIt()
    {
        var model = new ushort[64];
        var ages = new ushort[64];
        var frame = Enumerable.Repeat((byte)180, 64).ToArray();
        var bits = new ulong[1];

        for (var i = 0; i < 400; i++)
        {
            BackgroundKernel.Update(KernelPaths.Best, frame, model, ages, [~0UL], bits, new BackgroundRates(25, 13, 13, 10));
        }

        Assert.All(model, m => Assert.InRange(m, (180 << 8) - 20, 180 << 8));
        Assert.Equal(0UL, bits[0]);
    }

    [Fact]
    public void Update_PixelChangedLongerThanAbsorbFrames_LearnsAtQuietRate()
    {
        var model = new ushort[64];
        var ages = new ushort[64];
        var frame = Enumerable.Repeat((byte)200, 64).ToArray();
        var bits = new ulong[1];
        var rates = new BackgroundRates(25, 64, 1, 3);

        var steps = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var before = model[0];
            BackgroundKernel.Update(KernelPaths.Best, frame, model, ages, [~0UL], bits, rates);
            steps.Add(model[0] - before);
        }

        // Three frames at the moving rate (1/256 of the distance), then the quiet rate (64/256).
        Assert.Equal([200, 199, 198], steps.Take(3));
        Assert.True(steps[3] > 10000, $"step {steps[3]}");
        Assert.Equal(5, ages[0]);
    }
}
