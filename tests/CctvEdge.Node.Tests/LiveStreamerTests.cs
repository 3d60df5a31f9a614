using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Live;
using CctvEdge.Node.Recording;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

public sealed class LiveStreamerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 6, 0, 10, TimeSpan.Zero));
    private readonly CameraWorker _camera;
    private readonly LiveStreamer _live;

    public LiveStreamerTests()
    {
        // Whole segments: the reference path (fragments are followed in LiveFragmentStreamerTests).
        var options = TestCamera.Options();
        options.Recording.FragmentMilliseconds = 0;
        _camera = TestCamera.Create(_temp.Combine("yard"), options: options);
        _live = new LiveStreamer(new TestCameraSet(_camera), _clock, NullLogger<LiveStreamer>.Instance);
        Directory.CreateDirectory(_camera.Ring.Directory);
        Segment(0);
        Segment(1);
    }

    public void Dispose()
    {
        _live.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Poll_LeaseHeld_NewestSegmentFirstThenEachNewOneOnce()
    {
        var chunks = 0;
        _live.ChunkReady += () => chunks++;
        Assert.Null(_live.Start("yard", TimeSpan.FromSeconds(30)));

        await _live.PollAsync(CancellationToken.None);
        await _live.PollAsync(CancellationToken.None);
        Segment(2);
        await _live.PollAsync(CancellationToken.None);

        var sent = Take();
        Assert.Equal([1UL, 2UL], sent.Select(c => c.Sequence));
        Assert.Equal([Start(1), Start(2)], sent.Select(c => c.CapturedAt.ToDateTimeOffset()));
        Assert.Equal(File.ReadAllBytes(SegmentPath(2)), sent[1].Data.ToByteArray());
        Assert.Equal(1, sent[1].DurationSeconds, 3);
        Assert.Equal(2, chunks);
    }

    [Fact]
    public async Task Poll_StoppedOrLeaseRunOut_NothingSent()
    {
        _live.Start("yard", TimeSpan.FromSeconds(30));
        _live.Stop("yard");
        await _live.PollAsync(CancellationToken.None);
        Assert.Empty(Take());

        _live.Start("yard", TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(31));
        await _live.PollAsync(CancellationToken.None);

        Assert.Empty(Take());
        Assert.Empty(_live.Streaming);
    }

    [Fact]
    public void Start_UnknownCameraOrNotRecording_Refused()
    {
        Assert.Contains("no camera", _live.Start("gate", TimeSpan.FromSeconds(30)), StringComparison.Ordinal);

        var options = TestCamera.Options();
        options.Recording.Enabled = false;
        using var notRecording = new LiveStreamer(new TestCameraSet(TestCamera.Create(_temp.Combine("other"), options: options)), _clock, NullLogger<LiveStreamer>.Instance);

        Assert.Contains("Recording:Enabled", notRecording.Start("yard", TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
    }

    private static DateTimeOffset Start(int index) => new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero).AddSeconds(index);

    private string SegmentPath(int index) => Path.Combine(_camera.Ring.Directory, $"seg-1-{index:000000}.mp4");

    /// <summary>A finished one-second segment, as ffmpeg reports it: the file, then its line in the run's list.</summary>
    private void Segment(int index)
    {
        File.WriteAllBytes(SegmentPath(index), Enumerable.Repeat((byte)index, 1000 + index).ToArray());
        File.SetLastWriteTimeUtc(SegmentPath(index), Start(index + 1).UtcDateTime);
        File.AppendAllText(Path.Combine(_camera.Ring.Directory, "segments-1.csv"), $"{Path.GetFileName(SegmentPath(index))},{index}.0,{index + 1}.0\n");
    }

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
