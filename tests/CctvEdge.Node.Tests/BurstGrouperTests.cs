using CctvEdge.Node.Cameras.Push;

namespace CctvEdge.Node.Tests;

public sealed class BurstGrouperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private readonly BurstGrouper _grouper = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2));

    [Fact]
    public void StartsNew_PicturesWithinTheGap_OneBurst()
    {
        Assert.True(_grouper.StartsNew(T0));
        _grouper.Add(T0);
        Assert.False(_grouper.StartsNew(T0.AddSeconds(4)));
        _grouper.Add(T0.AddSeconds(4));
        Assert.False(_grouper.StartsNew(T0.AddSeconds(9)));
        _grouper.Add(T0.AddSeconds(9));

        Assert.Equal(3, _grouper.Count);
        Assert.Equal(T0, _grouper.First);
        Assert.Equal(T0.AddSeconds(9), _grouper.Last);
    }

    [Fact]
    public void StartsNew_PictureAfterTheGap_NewBurst()
    {
        _grouper.Add(T0);
        _grouper.Add(T0.AddSeconds(1));

        Assert.True(_grouper.StartsNew(T0.AddSeconds(6.5)));
        _grouper.Add(T0.AddSeconds(6.5));
        Assert.Equal(1, _grouper.Count);
        Assert.Equal(T0.AddSeconds(6.5), _grouper.First);
    }

    [Fact]
    public void Add_LatePicture_StaysInTheBurstAndMovesItsStart()
    {
        _grouper.Add(T0.AddSeconds(3));

        Assert.False(_grouper.StartsNew(T0.AddSeconds(1)));
        _grouper.Add(T0.AddSeconds(1));
        Assert.Equal(T0.AddSeconds(1), _grouper.First);
        Assert.Equal(T0.AddSeconds(3), _grouper.Last);
    }

    [Fact]
    public void IsOver_OnlyAfterGapAndSettle()
    {
        Assert.False(_grouper.IsOver(T0.AddHours(1)));
        _grouper.Add(T0);

        Assert.False(_grouper.IsOver(T0.AddSeconds(6.9)));
        Assert.True(_grouper.IsOver(T0.AddSeconds(7.1)));
    }
}
