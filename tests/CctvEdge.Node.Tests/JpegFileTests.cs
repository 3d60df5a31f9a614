using System.Text;
using CctvEdge.Node.Cameras.Push;

namespace CctvEdge.Node.Tests;

public sealed class JpegFileTests
{
    [Fact]
    public void Comments_TwoComSegments_BothTextsInOrder()
    {
        var jpeg = PushPictures.Make(0, "IQeye trigger: motion window 2, level 87", "second\0\0");

        var comments = JpegFile.Comments(jpeg);

        // ffmpeg's own encoder comment ("Lavc...") comes after ours.
        Assert.Equal("IQeye trigger: motion window 2, level 87", comments[0]);
        Assert.Equal("second", comments[1]);
        Assert.True(JpegFile.IsComplete(jpeg));
        Assert.Equal((640, 360), JpegFile.Size(jpeg));
    }

    [Fact]
    public void Comments_NotUtf8_ReadAsLatin1()
    {
        var jpeg = PushPictures.WithComments(PushPictures.Make(), [0x43, 0x61, 0x6D, 0xE9, 0x72, 0x61]);

        Assert.Equal("Caméra", JpegFile.Comments(jpeg)[0]);
    }

    [Fact]
    public void Comments_LengthPastTheEnd_KeepsWhatCameBefore()
    {
        var good = Encoding.ASCII.GetBytes("kept");
        var jpeg = PushPictures.WithComments(PushPictures.Make(), good);
        // A second COM whose length runs past the end of the file.
        byte[] damaged = [.. jpeg[..(2 + 4 + good.Length)], 0xFF, 0xFE, 0xFF, 0xF0, 0x41];

        Assert.Equal(["kept"], JpegFile.Comments(damaged));
        Assert.False(JpegFile.IsComplete(damaged));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData(new byte[] { 0x3C, 0x3F, 0x70, 0x68, 0x70 })]
    [InlineData(new byte[] { })]
    public void IsComplete_NotAJpeg_False(byte[] bytes)
    {
        Assert.False(JpegFile.IsComplete(bytes));
        Assert.Empty(JpegFile.Comments(bytes));
        Assert.Null(JpegFile.Size(bytes));
    }

    [Fact]
    public void IsComplete_UploadCutShort_False()
    {
        var jpeg = PushPictures.Make();

        Assert.False(JpegFile.IsComplete(jpeg[..(jpeg.Length / 2)]));
    }
}
