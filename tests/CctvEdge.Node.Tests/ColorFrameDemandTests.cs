using CctvEdge.Node.Cameras;

namespace CctvEdge.Node.Tests;

public sealed class ColorFrameDemandTests
{
    [Fact]
    public void Current_SeveralRequests_LargestSizeAndRate()
    {
        var demand = new ColorFrameDemand();
        var (a, b) = (new object(), new object());
        Assert.Null(demand.Current);

        demand.Add(a, new ColorOutput(640, 360, 2));
        demand.Add(b, new ColorOutput(320, 480, 5));
        Assert.Equal(new ColorOutput(640, 480, 5), demand.Current);

        demand.Remove(b);
        Assert.Equal(new ColorOutput(640, 360, 2), demand.Current);
        demand.Remove(a);
        Assert.Null(demand.Current);
    }

    [Fact]
    public void Changed_OnlyWhenTheOutputChanges()
    {
        var demand = new ColorFrameDemand();
        var changes = 0;
        demand.Changed += () => changes++;
        var (a, b) = (new object(), new object());

        demand.Add(a, new ColorOutput(640, 360, 2));
        demand.Add(b, new ColorOutput(320, 180, 1)); // within the first: ffmpeg goes on as it is
        demand.Remove(b);
        demand.Remove(a);

        Assert.Equal(2, changes);
    }
}
