using System.Collections.Concurrent;
using System.Threading.Channels;
using CctvEdge.Node.Cameras;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Live;

/// <summary>
/// Live view on the node. The camera's ffmpeg already writes its main stream as short fragmented MP4 segments into
/// the recording ring. While the server holds a live lease for a camera, the segment being written is followed
/// fragment by fragment (<see cref="Mp4FragmentTail"/>): from its start at first (a keyframe, so the picture appears
/// at once), then each fragment as soon as ffmpeg has flushed it, and each new segment file with its own init segment.
/// With <c>Recording:FragmentMilliseconds</c> 0 each segment the ring completes is sent whole instead (the newest
/// first at the start), a segment length behind. Nothing is encoded twice and nothing is sent while nobody watches. A lease ends by a StopLive, by running
/// out (the server renews it while anyone watches), or with the session.
/// </summary>
internal sealed partial class LiveStreamer(ICameraSet cameras, TimeProvider clock, ILogger<LiveStreamer> logger) : BackgroundService
{
    /// <summary>Under the server's 4 MiB message limit; a larger segment is skipped (lower the bitrate or the segment length).</summary>
    internal const int MaxChunkBytes = 3 * 1024 * 1024;

    // Every poll can add up to a poll's worth of latency to a fragment: short, and only while someone watches.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    // A slow uplink drops the oldest chunks rather than falling ever further behind the live picture (about 3 s of
    // fragments, or 16 segments).
    private readonly Channel<LiveChunk> _chunks = Channel.CreateBounded<LiveChunk>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <summary>A chunk is waiting for <see cref="TryTake"/>.</summary>
    public event Action? ChunkReady;

    /// <summary>Starts or renews a camera's lease; returns why it cannot stream, or null.</summary>
    public string? Start(string cameraId, TimeSpan lease)
    {
        var camera = cameras.Cameras.FirstOrDefault(c => c.Camera.Id == cameraId);
        if (camera is null)
        {
            return $"This node has no camera '{cameraId}'.";
        }

        if (!camera.Camera.Recording.Enabled)
        {
            return $"Live view needs recording: set {camera.Camera.Path}:Recording:Enabled to true.";
        }

        var expires = clock.GetUtcNow() + lease;
        var added = false;
        _leases.AddOrUpdate(cameraId, _ => { added = true; return new Lease(camera, expires); }, (_, existing) =>
        {
            existing.Expires = expires;
            return existing;
        });
        if (added)
        {
            LogStarted(logger, cameraId, lease.TotalSeconds);
        }

        return null;
    }

    public void Stop(string cameraId)
    {
        if (_leases.TryRemove(cameraId, out _))
        {
            LogStopped(logger, cameraId, "the last viewer left");
        }
    }

    /// <summary>The session ended: a new one gets new leases from the server.</summary>
    public void StopAll()
    {
        foreach (var cameraId in _leases.Keys)
        {
            _leases.TryRemove(cameraId, out _);
        }

        while (_chunks.Reader.TryRead(out _))
        {
        }
    }

    public bool TryTake(out LiveChunk chunk) => _chunks.Reader.TryRead(out chunk!);

    /// <summary>The cameras streaming now, for tests.</summary>
    internal IReadOnlyCollection<string> Streaming => _leases.Keys.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await cameras.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(PollInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Queues the segments completed since the last poll of every leased camera; ends expired leases.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var (cameraId, lease) in _leases)
        {
            if (lease.Expires < now)
            {
                if (_leases.TryRemove(new KeyValuePair<string, Lease>(cameraId, lease)))
                {
                    LogStopped(logger, cameraId, "its lease ran out");
                }

                continue;
            }

            if (lease.Camera.Camera.Recording.FragmentMilliseconds > 0)
            {
                PollFragments(cameraId, lease, now);
                continue;
            }

            var ring = lease.Camera.Ring;
            ring.Refresh();
            var fresh = lease.LastStart is { } last ? ring.StartingIn(last.AddTicks(1), DateTimeOffset.MaxValue) : ring.Segments.TakeLast(1).ToList();
            foreach (var segment in fresh)
            {
                lease.LastStart = segment.Start;
                if (await ReadAsync(cameraId, segment.Path, cancellationToken).ConfigureAwait(false) is not { } data)
                {
                    continue;
                }

                _chunks.Writer.TryWrite(new LiveChunk
                {
                    CameraId = cameraId,
                    CapturedAt = Timestamp.FromDateTimeOffset(segment.Start),
                    DurationSeconds = (segment.End - segment.Start).TotalSeconds,
                    Data = UnsafeByteOperations.UnsafeWrap(data),
                    Sequence = ++lease.Sequence,
                });
                ChunkReady?.Invoke();
            }
        }
    }

    /// <summary>Queues what the segment being written gained since the last poll, finishing the previous one first.</summary>
    private void PollFragments(string cameraId, Lease lease, DateTimeOffset now)
    {
        var tail = lease.Tail;
        var pieces = tail?.ReadAvailable().ToList() ?? [];
        // A newer file is looked for only when the followed one did not grow (ffmpeg closes a segment before it opens
        // the next): listing the ring's folder 20 times a second per viewed camera would cost more than the reads.
        if (pieces.Count == 0 && NewestSegmentFile(lease.Camera.Ring.Directory) is { } newest && newest != tail?.Path)
        {
            if (tail is not null)
            {
                // The last fragment may have been flushed, as ffmpeg closed the file, since the read above.
                Queue(cameraId, lease, [.. tail.ReadAvailable()], tail);
            }

            tail = lease.Tail = new Mp4FragmentTail(newest, MaxChunkBytes);
            lease.ReportedCorrupt = false;
            // The new file was opened at most a poll ago as its first frame was captured; for the first file of a
            // lease (already part written) the start comes from its fragments' times below.
            lease.TailStart = lease.Sequence == 0 ? null : now;
            pieces.AddRange(tail.ReadAvailable());
        }

        if (tail is null)
        {
            return;
        }

        if (tail.Corrupt is { } why && !lease.ReportedCorrupt)
        {
            lease.ReportedCorrupt = true;
            LogCorrupt(logger, cameraId, Path.GetFileName(tail.Path), why);
        }

        if (pieces.Count > 0 && lease.TailStart is null && tail.Timescale > 0 && pieces.OfType<Mp4Fragment>().LastOrDefault()?.DecodeTime is { } last)
        {
            // The newest fragment was just completed: its start is about one fragment ago.
            lease.TailStart = now - Seconds(last, tail.Timescale) - TimeSpan.FromMilliseconds(lease.Camera.Camera.Recording.FragmentMilliseconds);
        }

        Queue(cameraId, lease, pieces, tail);
    }

    /// <summary>One chunk per poll and file: usually one fragment; at a lease's start, the segment so far.</summary>
    private void Queue(string cameraId, Lease lease, List<Mp4Piece> pieces, Mp4FragmentTail tail)
    {
        if (pieces.Count == 0)
        {
            return;
        }

        var bytes = pieces.Sum(p => (long)p.Data.Length);
        if (bytes > MaxChunkBytes)
        {
            LogTooLarge(logger, cameraId, bytes);
            return;
        }

        var data = new byte[bytes];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.Data.CopyTo(data, at);
            at += piece.Data.Length;
        }

        var fragments = pieces.OfType<Mp4Fragment>().ToList();
        var start = lease.TailStart ?? clock.GetUtcNow();
        var fragmentSeconds = lease.Camera.Camera.Recording.FragmentMilliseconds / 1000.0;
        var first = fragments.FirstOrDefault()?.DecodeTime;
        var captured = first is { } ticks && tail.Timescale > 0 ? start + Seconds(ticks, tail.Timescale) : start;
        var duration = fragments.Count == 0 ? 0
            : fragments[^1].DecodeTime is { } lastTicks && first is { } firstTicks && tail.Timescale > 0
                ? Seconds(lastTicks - firstTicks, tail.Timescale).TotalSeconds + fragmentSeconds
                : fragments.Count * fragmentSeconds;
        _chunks.Writer.TryWrite(new LiveChunk
        {
            CameraId = cameraId,
            CapturedAt = Timestamp.FromDateTimeOffset(captured),
            DurationSeconds = duration,
            Data = UnsafeByteOperations.UnsafeWrap(data),
            Sequence = ++lease.Sequence,
        });
        ChunkReady?.Invoke();
    }

    private static TimeSpan Seconds(ulong ticks, uint timescale) => TimeSpan.FromSeconds((double)ticks / timescale);

    /// <summary>The segment file ffmpeg is writing: the one written last (names are not relied on for order).</summary>
    private static string? NewestSegmentFile(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles("seg-*.mp4")
                .MaxBy(f => (f.LastWriteTimeUtc, f.Name))?.FullName;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private async Task<byte[]?> ReadAsync(string cameraId, string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxChunkBytes)
            {
                LogTooLarge(logger, cameraId, info.Length);
                return null;
            }

            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The ring evicted it meanwhile; the next one follows.
            return null;
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Live view of camera {CameraId} started (lease {LeaseSeconds} s).")]
    private static partial void LogStarted(ILogger logger, string cameraId, double leaseSeconds);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Live view of camera {CameraId} stopped: {Reason}.")]
    private static partial void LogStopped(ILogger logger, string cameraId, string reason);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Live view of camera {CameraId}: a {Bytes}-byte segment is too large to send; lower the bitrate or Recording:SegmentSeconds.")]
    private static partial void LogTooLarge(ILogger logger, string cameraId, long bytes);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Live view of camera {CameraId}: segment {File} is skipped from here on: {Reason}.")]
    private static partial void LogCorrupt(ILogger logger, string cameraId, string file, string reason);

    /// <summary>One camera's lease: until when (renewed from the session's reader), and the last segment or file sent.</summary>
    private sealed class Lease(CameraWorker camera, DateTimeOffset expires)
    {
        private long _expiresMs = expires.ToUnixTimeMilliseconds();

        public CameraWorker Camera => camera;

        public DateTimeOffset Expires
        {
            get => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _expiresMs));
            set => Interlocked.Exchange(ref _expiresMs, value.ToUnixTimeMilliseconds());
        }

        public DateTimeOffset? LastStart { get; set; }

        public ulong Sequence { get; set; }

        /// <summary>The segment file being followed.</summary>
        public Mp4FragmentTail? Tail { get; set; }

        /// <summary>When <see cref="Tail"/>'s first frame was captured, on this node's clock; null until known.</summary>
        public DateTimeOffset? TailStart { get; set; }

        public bool ReportedCorrupt { get; set; }
    }
}
