using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Recording;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>
/// The node's side of a retrieval: a range still in the camera's ring becomes one clip job (reason retrieval, the
/// retrieval's id), however often the command comes; a range gone from the ring, a camera that does not record and a
/// malformed command are refused in words, with nothing queued.
/// </summary>
public sealed class VideoRetrievalTests : IAsyncLifetime
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _temp = new();
    private TestOutbox _outbox = null!;
    private CameraWorker _camera = null!;
    private VideoRetrieval _retrieval = null!;
    private DateTimeOffset _held;

    public async Task InitializeAsync()
    {
        _outbox = await TestOutbox.OpenAsync(_temp.Combine("outbox"));
        _camera = TestCamera.Create(_temp.Combine("yard"));
        _retrieval = new VideoRetrieval(new TestCameraSet(_camera), _outbox.Clips, NullLogger<VideoRetrieval>.Instance);
        // Two minutes of 2 s segments that completed an hour ago.
        _held = DateTimeOffset.UtcNow.AddHours(-1);
        Directory.CreateDirectory(_camera.Ring.Directory);
        var lines = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var name = $"seg-1-{i:000000}.mp4";
            var path = Path.Combine(_camera.Ring.Directory, name);
            await File.WriteAllBytesAsync(path, new byte[100]);
            File.SetLastWriteTimeUtc(path, _held.AddSeconds((i * 2) + 2).UtcDateTime);
            lines.Add($"{name},{i * 2}.0,{(i * 2) + 2}.0");
        }

        await File.WriteAllLinesAsync(Path.Combine(_camera.Ring.Directory, "segments-1.csv"), lines);
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task RangeInTheRing_QueuedOnce_AsARetrievalClipWithTheRetrievalsId()
    {
        var command = Command(_held.AddSeconds(30), _held.AddSeconds(60));

        Assert.Null(await _retrieval.QueueAsync(command, CancellationToken.None));
        Assert.Null(await _retrieval.QueueAsync(command, CancellationToken.None));

        var job = Assert.Single(await _outbox.Clips.JobsAsync(CancellationToken.None));
        Assert.Equal((Id, "yard", VideoRetrieval.Reason, ""), (job.Id, job.CameraId, job.Reason, job.EventId));
        Assert.Equal(_held.AddSeconds(30).ToUnixTimeMilliseconds(), job.Start.ToUnixTimeMilliseconds());
        Assert.Equal(_held.AddSeconds(60).ToUnixTimeMilliseconds(), job.End.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task RangeNoLongerInTheRing_RefusedSayingWhatItHolds_NothingQueued()
    {
        var problem = await _retrieval.QueueAsync(Command(_held.AddHours(-3), _held.AddHours(-3).AddMinutes(1)), CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains("is on the node any more", problem, StringComparison.Ordinal);
        Assert.Contains($"it holds {_held:yyyy-MM-dd HH:mm:ss}Z to {_held.AddMinutes(2):yyyy-MM-dd HH:mm:ss}Z", problem, StringComparison.Ordinal);
        Assert.Empty(await _outbox.Clips.JobsAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("short-id", "gate", 60, "not 32 lower-case hex digits")]
    [InlineData(Id, "gate", 60, "no camera 'gate'")]
    [InlineData(Id, "yard", -5, "a start before its end")]
    [InlineData(Id, "yard", 3600, "at most 30 minutes")]
    public async Task BadCommand_RefusedInWords_NothingQueued(string id, string camera, int seconds, string expected)
    {
        var command = Command(_held, _held.AddSeconds(seconds));
        command.RetrievalId = id;
        command.CameraId = camera;

        Assert.Contains(expected, await _retrieval.QueueAsync(command, CancellationToken.None), StringComparison.Ordinal);
        Assert.Empty(await _outbox.Clips.JobsAsync(CancellationToken.None));
    }

    private static RetrieveVideo Command(DateTimeOffset start, DateTimeOffset end) =>
        new() { RetrievalId = Id, CameraId = "yard", Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) };
}
