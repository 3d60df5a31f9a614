using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Live;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>Live view that follows the segment being written, fragment by fragment (Recording:FragmentMilliseconds > 0).</summary>
public sealed class LiveFragmentStreamerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 6, 0, 10, TimeSpan.Zero));
    private readonly CameraWorker _camera;
    private readonly LiveStreamer _live;

    public LiveFragmentStreamerTests()
    {
        var options = TestCamera.Options();
        options.Recording.FragmentMilliseconds = 200;
        _camera = TestCamera.Create(_temp.Combine("yard"), options: options);
        _live = new LiveStreamer(new TestCameraSet(_camera), _clock, NullLogger<LiveStreamer>.Instance);
        Directory.CreateDirectory(_camera.Ring.Directory);
    }

    public void Dispose()
    {
        _live.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Poll_GrowingSegment_SegmentSoFarThenEachFragmentOnce()
    {
        var file = File("seg-1-000001.mp4");
        var init = Mp4TestBoxes.Init(1000);
        var first = Mp4TestBoxes.Fragment(0, 100);
        var second = Mp4TestBoxes.Fragment(200, 100);
        var third = Mp4TestBoxes.Fragment(400, 100);
        Mp4TestBoxes.Append(file, [.. init, .. first, .. second]);
        _live.Start("yard", TimeSpan.FromSeconds(30));

        await _live.PollAsync(CancellationToken.None);
        await _live.PollAsync(CancellationToken.None);
        Mp4TestBoxes.Append(file, third.AsSpan(0, 50));
        await _live.PollAsync(CancellationToken.None);
        Mp4TestBoxes.Append(file, third.AsSpan(50));
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await _live.PollAsync(CancellationToken.None);

        var sent = Take();
        Assert.Equal(2, sent.Count);
        Assert.Equal([.. init, .. first, .. second], sent[0].Data.ToByteArray());
        Assert.Equal(third, sent[1].Data.ToByteArray());
        // The newest fragment (at 0.2 s) was complete at 6:00:10, so it began about 0.2 s earlier: the file at 6:00:09.6.
        Assert.Equal(_clock.Start.AddSeconds(-0.4), sent[0].CapturedAt.ToDateTimeOffset());
        Assert.Equal(_clock.Start.AddSeconds(0), sent[1].CapturedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task Poll_NextSegmentFile_RestOfTheOldThenTheNewWithItsInit()
    {
        var old = File("seg-1-000001.mp4");
        var init = Mp4TestBoxes.Init(1000);
        Mp4TestBoxes.Append(old, [.. init, .. Mp4TestBoxes.Fragment(0, 10)]);
        _live.Start("yard", TimeSpan.FromSeconds(30));
        await _live.PollAsync(CancellationToken.None);

        var last = Mp4TestBoxes.Fragment(200, 10);
        Mp4TestBoxes.Append(old, last);
        var next = File("seg-1-000002.mp4");
        var nextInit = Mp4TestBoxes.Init(1000);
        var nextFirst = Mp4TestBoxes.Fragment(0, 20);
        Mp4TestBoxes.Append(next, [.. nextInit, .. nextFirst]);
        // Later than the old file's last write, whatever the clock's resolution.
        System.IO.File.SetLastWriteTimeUtc(next, DateTime.UtcNow.AddSeconds(1));
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        await _live.PollAsync(CancellationToken.None); // the old file's last fragment
        await _live.PollAsync(CancellationToken.None); // the old file did not grow: the new one

        var sent = Take();
        Assert.Equal(3, sent.Count);
        Assert.Equal(last, sent[1].Data.ToByteArray());
        Assert.Equal([.. nextInit, .. nextFirst], sent[2].Data.ToByteArray());
        Assert.Equal([1UL, 2UL, 3UL], sent.Select(c => c.Sequence));
        Assert.Equal(_clock.GetUtcNow(), sent[2].CapturedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task Poll_CorruptSegment_SkippedUntilTheNextFile()
    {
        var bad = File("seg-1-000001.mp4");
        Mp4TestBoxes.Append(bad, [0, 0, 0, 2, (byte)'j', (byte)'u', (byte)'n', (byte)'k']);
        _live.Start("yard", TimeSpan.FromSeconds(30));
        await _live.PollAsync(CancellationToken.None);
        await _live.PollAsync(CancellationToken.None);
        Assert.Empty(Take());

        var good = File("seg-1-000002.mp4");
        Mp4TestBoxes.Append(good, [.. Mp4TestBoxes.Init(1000), .. Mp4TestBoxes.Fragment(0, 10)]);
        System.IO.File.SetLastWriteTimeUtc(good, DateTime.UtcNow.AddSeconds(1));
        await _live.PollAsync(CancellationToken.None);

        Assert.Equal(System.IO.File.ReadAllBytes(good), Assert.Single(Take()).Data.ToByteArray());
    }

    [Fact]
    public async Task Poll_NoLease_NothingRead()
    {
        Mp4TestBoxes.Append(File("seg-1-000001.mp4"), [.. Mp4TestBoxes.Init(1000), .. Mp4TestBoxes.Fragment(0, 10)]);

        await _live.PollAsync(CancellationToken.None);

        Assert.Empty(Take());
    }

    private string File(string name) => Path.Combine(_camera.Ring.Directory, name);

    private List<LiveChunk> Take()
    {
        var chunks = new List<LiveChunk>();
        while (_live.TryTake(out var chunk))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }
}
