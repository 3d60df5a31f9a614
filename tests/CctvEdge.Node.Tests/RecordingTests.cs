using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Uplink;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary>Recording with real ffmpeg: a synthetic camera writes segments, clips are cut from them.</summary>
public sealed class RecordingTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _stop = new();
    private TestOutbox _outbox = null!;
    private CameraWorker _camera = null!;
    private Task _running = Task.CompletedTask;
    private DateTimeOffset _started;

    public async Task InitializeAsync()
    {
        _outbox = await TestOutbox.OpenAsync(_temp.Combine("node"));
        var options = TestCamera.Options();
        options.Source.Width = 320;
        options.Source.Height = 180;
        options.Recording = new RecordingOptions { SegmentSeconds = 1, RingSeconds = 600 };
        _camera = TestCamera.Create(_temp.Combine("camera"), options: options);
        _started = DateTimeOffset.UtcNow;
        _running = _camera.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => { _camera.Ring.Refresh(); return _camera.Ring.Segments.Count >= 4; }, Timeout, "four recorded segments");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Timeout);
        await _outbox.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Ring_RealFfmpeg_ContiguousFragmentedMp4SegmentsOnTheWallClock()
    {
        var segments = _camera.Ring.Segments;

        Assert.InRange(segments[0].Start, _started.AddSeconds(-2), _started.AddSeconds(5));
        for (var i = 1; i < segments.Count; i++)
        {
            Assert.InRange((segments[i].Start - segments[i - 1].End).TotalSeconds, -0.01, 0.01);
        }

        Assert.All(segments, s => Assert.Equal("ftyp", Mp4.TopLevelBoxes(s.Path)[0]));
    }

    [Fact]
    public async Task Cut_RequestedClip_FaststartMp4WithAnnouncementAndThumbnail()
    {
        var recorder = new ClipRecorder(_camera.Camera, _outbox.Clips);
        var segments = _camera.Ring.Segments;
        var id = await recorder.RequestClipAsync(new ClipRequest(segments[1].Start, segments[2].End) { EventId = "ev-1", Reason = "motion" });

        await NewService().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout);

        var clip = Assert.Single(await _outbox.Clips.OldestAsync(10, CancellationToken.None));
        Assert.Equal(id, clip.Id);
        // The clip spans those two segments, at their times when it was cut: a run whose first segments came late (a
        // busy machine at ffmpeg's start) is moved back once a later segment shows it.
        var now = _camera.Ring.Segments.ToDictionary(s => s.Path);
        Assert.Equal(now[segments[1].Path].Start, clip.Start);
        Assert.Equal(now[segments[2].Path].End, clip.End);
        var boxes = Mp4.TopLevelBoxes(_outbox.Clips.FullPath(clip));
        Assert.True(boxes.IndexOf("moov") < boxes.IndexOf("mdat"), "faststart: moov before mdat, got " + string.Join(",", boxes));
        Assert.Equal(clip.Sha256, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_outbox.Clips.FullPath(clip))));

        var results = await _outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None);
        var announce = Assert.Single(results, r => r.BodyCase == Result.BodyOneofCase.Clip);
        Assert.Equal((ulong)clip.Size, announce.Clip.Size);
        Assert.Equal("ev-1", announce.Clip.EventId);
        Assert.Equal(announce.Sequence, clip.AnnouncedSequence);
        var thumbnail = Assert.Single(results, r => r.BodyCase == Result.BodyOneofCase.File);
        Assert.Equal(id, thumbnail.File.ClipId);
        Assert.Equal([0xFF, 0xD8], thumbnail.File.Data.Span[..2].ToArray());
    }

    [Fact]
    public async Task Cut_VideoNotYetRecorded_WaitsThenCutsOnceItExists()
    {
        var recorder = new ClipRecorder(_camera.Camera, _outbox.Clips);
        var now = DateTimeOffset.UtcNow;
        await recorder.RequestClipAsync(new ClipRequest(now.AddSeconds(-2), now.AddSeconds(2)));
        var service = NewService();

        await service.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await _outbox.Clips.OldestAsync(10, CancellationToken.None));

        await Eventually.GetAsync(async () =>
        {
            await service.RunOnceAsync(CancellationToken.None);
            return (await _outbox.Clips.OldestAsync(10, CancellationToken.None)).FirstOrDefault();
        }, Timeout, "the clip once its video exists");
    }

    [Fact]
    public async Task DiskGuard_DiskLow_TrimsRingFirstThenDropsOldestClipWithLossReport()
    {
        var recorder = new ClipRecorder(_camera.Camera, _outbox.Clips);
        var segments = _camera.Ring.Segments;
        await recorder.RequestClipAsync(new ClipRequest(segments[0].Start, segments[1].End));
        await NewService().RunOnceAsync(CancellationToken.None);
        var clip = Assert.Single(await _outbox.Clips.OldestAsync(10, CancellationToken.None));
        var status = new UploadStatus();
        var guard = new DiskGuard(new TestCameraSet(_camera), _outbox.Clips, _outbox.Results, status, Options.Create(new NodeOptions { MinFreeMegabytes = 1 }), TimeProvider.System, NullLogger<DiskGuard>.Instance);
        var ringBytes = _camera.Ring.TotalBytes;

        // Short by a little less than the ring: the ring alone covers it, no clip is touched.
        guard.FreeBytes = () => (1024 * 1024) - ringBytes + 1;
        await guard.CheckAsync(CancellationToken.None);
        Assert.Single(await _outbox.Clips.OldestAsync(10, CancellationToken.None));
        Assert.Equal(0, status.LostClips);

        // Far short: the clip goes, and says so.
        guard.FreeBytes = () => 0;
        await guard.CheckAsync(CancellationToken.None);
        Assert.Empty(await _outbox.Clips.OldestAsync(10, CancellationToken.None));
        Assert.False(File.Exists(_outbox.Clips.FullPath(clip)));
        Assert.Equal(1, status.LostClips);
        var report = (await _outbox.Results.ReadAfterAsync(0, 100, CancellationToken.None)).Last();
        Assert.Equal(LossReport.Kind, report.Event.Kind);
        Assert.Contains(clip.Id, report.Event.PayloadJson, StringComparison.Ordinal);
    }

    private RecordingService NewService() => new(
        new TestCameraSet(_camera), _outbox.Clips, new ProcessRunner(NullLogger<ProcessRunner>.Instance),
        Options.Create(new FfmpegOptions()), TimeProvider.System, NullLogger<RecordingService>.Instance, UploadPolicy.SendAll);
}

/// <summary>Reads the top-level boxes of an MP4 file.</summary>
internal static class Mp4
{
    public static List<string> TopLevelBoxes(string path)
    {
        var boxes = new List<string>();
        using var file = File.OpenRead(path);
        var header = new byte[16];
        while (file.Position + 8 <= file.Length)
        {
            file.ReadExactly(header, 0, 8);
            long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header);
            boxes.Add(System.Text.Encoding.ASCII.GetString(header, 4, 4));
            if (size == 1)
            {
                file.ReadExactly(header, 8, 8);
                size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                file.Position += size - 16;
            }
            else
            {
                file.Position += size == 0 ? file.Length : size - 8;
            }
        }

        return boxes;
    }
}
