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
/// the recording ring; while the server holds a live lease for a camera, each segment the ring completes is queued
/// as a <see cref="LiveChunk"/> for the session's sender, the newest first at the start so the picture appears at
/// once. Nothing is encoded twice and nothing is sent while nobody watches. A lease ends by a StopLive, by running
/// out (the server renews it while anyone watches), or with the session.
/// </summary>
internal sealed partial class LiveStreamer(ICameraSet cameras, TimeProvider clock, ILogger<LiveStreamer> logger) : BackgroundService
{
    /// <summary>Under the server's 4 MiB message limit; a larger segment is skipped (lower the bitrate or the segment length).</summary>
    internal const int MaxChunkBytes = 3 * 1024 * 1024;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // A slow uplink drops the oldest segments rather than falling ever further behind the live picture.
    private readonly Channel<LiveChunk> _chunks = Channel.CreateBounded<LiveChunk>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest });
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

    /// <summary>One camera's lease: until when (renewed from the session's reader), and the last segment sent.</summary>
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
    }
}
