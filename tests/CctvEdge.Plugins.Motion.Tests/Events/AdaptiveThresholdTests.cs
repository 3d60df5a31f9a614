using CctvEdge.Plugins.Motion.Internal.Events;

namespace CctvEdge.Plugins.Motion.Tests.Events;

public sealed class AdaptiveThresholdTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Level_KnownValues_IsMeanPlusKStandardDeviations()
    {
        var threshold = new AdaptiveThreshold(TimeSpan.FromSeconds(60), 5);
        int[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        for (var i = 0; i < values.Length; i++)
        {
            threshold.Add(T0.AddSeconds(i), values[i]);
        }

        // Mean 5, population standard deviation 2.
        Assert.Equal(11, threshold.Level(3), 10);
    }

    [Fact]
    public void Add_ValuesOlderThanWindow_Forgotten()
    {
        var threshold = new AdaptiveThreshold(TimeSpan.FromSeconds(10), 5);
        threshold.Add(T0, 1000);

        threshold.Add(T0.AddSeconds(10), 7);
        threshold.Add(T0.AddSeconds(11), 7);

        Assert.Equal(2, threshold.Count);
        Assert.Equal(7, threshold.Level(3), 10);
    }

    [Fact]
    public void Add_MoreFramesThanExpected_KeepsNewestWithinCapacity()
    {
        var threshold = new AdaptiveThreshold(TimeSpan.FromSeconds(5), 1);
        for (var i = 0; i < 100; i++)
        {
            threshold.Add(T0.AddMilliseconds(i), i < 50 ? 0 : 100);
        }

        Assert.Equal(16, threshold.Count);
        Assert.Equal(100, threshold.Level(3), 10);
    }

    [Fact]
    public void Level_LargeConstantValues_NoRoundingNoise()
    {
        var threshold = new AdaptiveThreshold(TimeSpan.FromSeconds(600), 30);
        for (var i = 0; i < 10_000; i++)
        {
            threshold.Add(T0.AddMilliseconds(i * 33), 1_999_999);
        }

        Assert.Equal(1_999_999, threshold.Level(3));
    }
}
