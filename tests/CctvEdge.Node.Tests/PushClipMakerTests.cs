using CctvEdge.Node.Cameras.Push;

namespace CctvEdge.Node.Tests;

public sealed class PushClipMakerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ConcatList_EachPictureShownUntilTheNext_ClampedAndLastRepeated()
    {
        var list = PushClipMaker.ConcatList(
        [
            new BurstImage("/data/b/0001.jpg", T0),
            new BurstImage("/data/b/0002.jpg", T0.AddSeconds(0.5)),
            new BurstImage("/data/b/0003.jpg", T0.AddSeconds(0.52)),
            new BurstImage("/data/it's/0004.jpg", T0.AddSeconds(10)),
        ]);

        Assert.Equal(
            """
            ffconcat version 1.0
            file '/data/b/0001.jpg'
            duration 0.5
            file '/data/b/0002.jpg'
            duration 0.1
            file '/data/b/0003.jpg'
            duration 2
            file '/data/it'\''s/0004.jpg'
            duration 1
            file '/data/it'\''s/0004.jpg'

            """.ReplaceLineEndings("\n"),
            list);
    }
}
