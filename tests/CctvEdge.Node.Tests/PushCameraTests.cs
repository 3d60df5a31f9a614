using System.Diagnostics;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Cameras.Push;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>A push camera end to end on the node: pictures through a real FTP server (pure-ftpd on loopback) into the inbox, out as frames, an event and an MP4 clip in the real outbox.</summary>
public sealed class PushCameraTests
{
    private static readonly TimeSpan Timeout = PushCameraFixture.Timeout;

    [Fact]
    public async Task FtpUpload_Burst_FramesEventWithComCommentsAndPlayableClip()
    {
        // The default gap: uploads on a busy test machine can be seconds apart.
        await using var push = await PushCameraFixture.CreateAsync(burstGapSeconds: 5);
        await using var ftp = await PureFtpServer.StartAsync(push.Inbox);
        push.Start();
        await Eventually.TrueAsync(() => push.Camera.Status.Read().State == CameraRunState.Running, Timeout, "the idle push camera running");

        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(push.Temp.Combine($"upload{i}.jpg"), PushPictures.Make(i, i == 2 ? "IQeye trigger: window 2 level 91" : "IQeye trigger: window 1 level 87"));
        }

        await ftp.UploadAsync([.. Enumerable.Range(0, 3).Select(i => (push.Temp.Combine($"upload{i}.jpg"), $"cam_{i:000}.jpg"))]);

        var clip = await push.ClipAsync();
        var e = Assert.Single(await push.EventsAsync());
        Assert.Equal(PushCameraSource.EventKind, e.Kind);
        Assert.Equal(e.EventId, clip.EventId);
        Assert.True(e.End.ToDateTimeOffset() >= e.Start.ToDateTimeOffset());
        var payload = PushCameraFixture.Payload(e);
        Assert.Equal(3, payload.GetProperty("images").GetInt32());
        var comments = payload.GetProperty("comments").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("IQeye trigger: window 1 level 87", comments);
        Assert.Contains("IQeye trigger: window 2 level 91", comments);
        Assert.False(payload.GetProperty("interrupted").GetBoolean());

        var probe = await FfprobeAsync(push.Outbox.Clips.FullPath(clip));
        Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
        Assert.Contains("pix_fmt=yuv420p", probe, StringComparison.Ordinal);
        Assert.Contains("width=640", probe, StringComparison.Ordinal);
        Assert.Equal(3, push.Frames.Count);
        Assert.All(push.Frames, f => Assert.Equal((320, 180), (f.Width, f.Height)));
        Assert.True(SnapshotSlot.LooksComplete(push.Camera.Snapshots.Latest!.Jpeg.Span));
        Assert.Equal(CameraRunState.Running, push.Camera.Status.Read().State);
        Assert.Empty(Directory.GetFileSystemEntries(push.Inbox));
        Assert.Empty(Directory.GetDirectories(push.Bursts));
    }

    [Fact]
    public async Task Restart_BurstInterrupted_NextStartSendsItsEventAndClip()
    {
        await using var push = await PushCameraFixture.CreateAsync(burstGapSeconds: 600);
        push.Start();
        Directory.CreateDirectory(push.Inbox);
        await File.WriteAllBytesAsync(Path.Combine(push.Inbox, "a.jpg"), PushPictures.Make(0, "before the stop"));
        await Eventually.TrueAsync(() => !push.Frames.IsEmpty, Timeout, "the picture taken");
        await push.StopAsync();
        Assert.Single(Directory.GetDirectories(push.Bursts));
        Assert.Empty(await push.EventsAsync());

        push.Restart();

        var clip = await push.ClipAsync();
        var e = Assert.Single(await push.EventsAsync());
        Assert.Equal(e.EventId, clip.EventId);
        var payload = PushCameraFixture.Payload(e);
        Assert.True(payload.GetProperty("interrupted").GetBoolean());
        Assert.Equal(["before the stop"], payload.GetProperty("comments").EnumerateArray().Select(c => c.GetString()).Take(1));
        await Eventually.TrueAsync(() => Directory.GetDirectories(push.Bursts).Length == 0, Timeout, "the burst's folder gone");
    }

    [Fact]
    public async Task Inbox_NotAJpegOrCorrupt_DeletedWithoutFrameOrEvent()
    {
        await using var push = await PushCameraFixture.CreateAsync(burstGapSeconds: 1);
        push.Start();
        Directory.CreateDirectory(push.Inbox);
        await Eventually.TrueAsync(() => push.Camera.Status.Read().State == CameraRunState.Running, Timeout, "the push camera running");
        await File.WriteAllTextAsync(Path.Combine(push.Inbox, "notes.jpg"), "<?php system($_GET['c']); ?>");
        // Starts and ends like a JPEG, garbage between: only decoding finds it out.
        byte[] corrupt = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. Enumerable.Repeat((byte)0x5A, 4000), 0xFF, 0xD9];
        await File.WriteAllBytesAsync(Path.Combine(push.Inbox, "broken.jpg"), corrupt);

        await Eventually.TrueAsync(() => Directory.GetFileSystemEntries(push.Inbox).Length == 0, Timeout, "both files taken from the inbox");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Empty(push.Frames);
        Assert.Empty(await push.EventsAsync());
        Assert.Empty(Directory.GetDirectories(push.Bursts));
        Assert.Equal(CameraRunState.Running, push.Camera.Status.Read().State);
    }

    internal static async Task<string> FfprobeAsync(string file)
    {
        using var ffprobe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,pix_fmt,width,height,nb_frames", "-of", "default=noprint_wrappers=1", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await ffprobe.StandardOutput.ReadToEndAsync().WaitAsync(Timeout);
        await ffprobe.WaitForExitAsync().WaitAsync(Timeout);
        Assert.True(ffprobe.ExitCode == 0, "ffprobe failed: " + await ffprobe.StandardError.ReadToEndAsync());
        return output;
    }
}
