using CctvEdge.Harness;
using CctvEdge.Node.Cameras.Push;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

public sealed class PushInboxTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PushInbox _inbox;

    public PushInboxTests()
    {
        Directory.CreateDirectory(_temp.Combine("inbox"));
        _inbox = new PushInbox(_temp.Combine("inbox"), 1024 * 1024, _clock, NullLogger.Instance);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Scan_NewFile_ReadyOnlyOnceUnchangedForASecond()
    {
        File.WriteAllBytes(_temp.Combine("inbox", "a.jpg"), PushPictures.Make());

        Assert.Empty(_inbox.Scan());
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Empty(_inbox.Scan());
        Assert.Single(_inbox.Waiting);
        _clock.Advance(TimeSpan.FromSeconds(0.6));

        Assert.Equal(_temp.Combine("inbox", "a.jpg"), Assert.Single(_inbox.Scan()).Path);
        Assert.Empty(_inbox.Waiting);
    }

    [Fact]
    public void Scan_FileStillGrowing_NotReady()
    {
        var path = _temp.Combine("inbox", "a.jpg");
        var jpeg = PushPictures.Make();
        File.WriteAllBytes(path, jpeg[..1000]);
        _inbox.Scan();
        _clock.Advance(TimeSpan.FromSeconds(2));
        File.WriteAllBytes(path, jpeg[..2000]);

        Assert.Empty(_inbox.Scan());
        _clock.Advance(TimeSpan.FromSeconds(2));
        // Unchanged but not ending like a JPEG: an upload that paused gets more time.
        Assert.Empty(_inbox.Scan());
        File.WriteAllBytes(path, jpeg);
        _inbox.Scan();
        _clock.Advance(TimeSpan.FromSeconds(1.1));

        Assert.Single(_inbox.Scan());
    }

    [Fact]
    public void Scan_HiddenAndTemporaryNames_LeftAlone()
    {
        var jpeg = PushPictures.Make();
        File.WriteAllBytes(_temp.Combine("inbox", ".pureftpd-upload.5f1e.jpg"), jpeg);
        File.WriteAllBytes(_temp.Combine("inbox", "b.jpg.part"), jpeg);
        _inbox.Scan();
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_inbox.Scan());
        Assert.True(File.Exists(_temp.Combine("inbox", "b.jpg.part")));
    }

    [Fact]
    public void Scan_SymlinkToAFileOutside_LinkDeletedTargetUntouched()
    {
        var secret = _temp.Combine("secret.txt");
        File.WriteAllText(secret, "not for the camera");
        File.CreateSymbolicLink(_temp.Combine("inbox", "evil.jpg"), secret);
        Directory.CreateSymbolicLink(_temp.Combine("inbox", "etc"), "/etc");

        _inbox.Scan();
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_inbox.Scan());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Combine("inbox")));
        Assert.Equal("not for the camera", File.ReadAllText(secret));
        Assert.True(Directory.Exists("/etc"));
    }

    [Fact]
    public void Scan_OverTheLimit_Deleted()
    {
        File.WriteAllBytes(_temp.Combine("inbox", "huge.jpg"), new byte[1024 * 1024 + 1]);

        Assert.Empty(_inbox.Scan());
        Assert.False(File.Exists(_temp.Combine("inbox", "huge.jpg")));
    }

    [Fact]
    public void Scan_DatedSubfolder_Followed()
    {
        Directory.CreateDirectory(_temp.Combine("inbox", "2026-12-07", "001"));
        File.WriteAllBytes(_temp.Combine("inbox", "2026-12-07", "001", "c.jpg"), PushPictures.Make());
        _inbox.Scan();
        _clock.Advance(TimeSpan.FromSeconds(1.1));

        Assert.EndsWith("2026-12-07/001/c.jpg", Assert.Single(_inbox.Scan()).Path, StringComparison.Ordinal);
    }
}
