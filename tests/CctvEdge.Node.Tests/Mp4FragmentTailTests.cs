using CctvEdge.Node.Live;
using CctvEdge.Harness;

namespace CctvEdge.Node.Tests;

public sealed class Mp4FragmentTailTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadAvailable_GrowingFile_OnlyWholeBoxesEachOnce()
    {
        var path = _temp.Combine("seg.mp4");
        var init = Mp4TestBoxes.Init(90000);
        var fragment = Mp4TestBoxes.Fragment(180000, 500);
        Mp4TestBoxes.Append(path, init);
        Mp4TestBoxes.Append(path, fragment.AsSpan(0, fragment.Length - 100));
        var tail = new Mp4FragmentTail(path, 1 << 20);

        var first = tail.ReadAvailable();
        var again = tail.ReadAvailable();
        Mp4TestBoxes.Append(path, fragment.AsSpan(fragment.Length - 100));
        var rest = tail.ReadAvailable();

        var sentInit = Assert.IsType<Mp4Init>(Assert.Single(first));
        Assert.Equal(init, sentInit.Data);
        Assert.Equal(90000u, sentInit.Timescale);
        Assert.Empty(again);
        var sentFragment = Assert.IsType<Mp4Fragment>(Assert.Single(rest));
        Assert.Equal(fragment, sentFragment.Data);
        Assert.Equal(180000ul, sentFragment.DecodeTime);
        Assert.Null(tail.Corrupt);
    }

    [Fact]
    public void ReadAvailable_HeaderSplitAcrossWrites_WaitsForTheWholeBox()
    {
        var path = _temp.Combine("seg.mp4");
        var fragment = Mp4TestBoxes.Fragment(0, 64);
        Mp4TestBoxes.Append(path, Mp4TestBoxes.Init(1000));
        var tail = new Mp4FragmentTail(path, 1 << 20);
        Assert.IsType<Mp4Init>(Assert.Single(tail.ReadAvailable()));

        Mp4TestBoxes.Append(path, fragment.AsSpan(0, 5)); // not even the moof's header
        var none = tail.ReadAvailable();
        Mp4TestBoxes.Append(path, fragment.AsSpan(5, 40)); // the moof, and part of the mdat's header
        var stillNone = tail.ReadAvailable();
        Mp4TestBoxes.Append(path, fragment.AsSpan(45));
        var whole = tail.ReadAvailable();

        Assert.Empty(none);
        Assert.Empty(stillNone);
        Assert.Equal(fragment, Assert.IsType<Mp4Fragment>(Assert.Single(whole)).Data);
    }

    [Fact]
    public void ReadAvailable_ImpossibleBoxHeader_GivesWhatCameBeforeThenSkipsTheFile()
    {
        var path = _temp.Combine("seg.mp4");
        Mp4TestBoxes.Append(path, Mp4TestBoxes.Init(1000));
        Mp4TestBoxes.Append(path, Mp4TestBoxes.Fragment(0, 10));
        Mp4TestBoxes.Append(path, [0, 0, 0, 3, (byte)'m', (byte)'o', (byte)'o', (byte)'f', 1, 2, 3]);
        Mp4TestBoxes.Append(path, Mp4TestBoxes.Fragment(1000, 10));
        var tail = new Mp4FragmentTail(path, 1 << 20);

        var pieces = tail.ReadAvailable();
        var after = tail.ReadAvailable();

        Assert.Equal(2, pieces.Count);
        Assert.Empty(after);
        Assert.Contains("3 bytes", tail.Corrupt, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAvailable_BoxLargerThanAnyFragment_SkipsTheFile()
    {
        var path = _temp.Combine("seg.mp4");
        Mp4TestBoxes.Append(path, Mp4TestBoxes.Box("mdat", new byte[2000]));
        var tail = new Mp4FragmentTail(path, 1000);

        Assert.Empty(tail.ReadAvailable());
        Assert.NotNull(tail.Corrupt);
    }

    [Fact]
    public void ReadAvailable_FileGone_Nothing()
    {
        var tail = new Mp4FragmentTail(_temp.Combine("evicted.mp4"), 1000);

        Assert.Empty(tail.ReadAvailable());
        Assert.Null(tail.Corrupt);
    }
}
