using System.Collections.Concurrent;
using System.Threading.Channels;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Sessions;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Server.Live;

/// <summary>What a viewer's stream carries: a segment (capture time on the server's clock), or a status line.</summary>
internal sealed record LiveFrame(byte[] Data, DateTimeOffset CapturedAt, double DurationSeconds, string? Status = null);

/// <summary>One browser watching one camera; dispose to leave.</summary>
internal sealed class LiveViewer(string nodeId, string cameraId, Action<LiveViewer> leave) : IDisposable
{
    // A browser that reads slowly loses the oldest pieces, not the live edge. Room for a 2 s segment's worth of
    // 200 ms fragments plus its init, which a viewer joining mid-segment is given at once.
    private readonly Channel<LiveFrame> _frames = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropOldest });
    private int _left;

    public string NodeId => nodeId;

    public string CameraId => cameraId;

    public ChannelReader<LiveFrame> Frames => _frames.Reader;

    public void Offer(LiveFrame frame) => _frames.Writer.TryWrite(frame);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            leave(this);
        }
    }
}

/// <summary>A camera being watched, for /api/live and tests.</summary>
internal sealed record LiveFeedStatus(string NodeId, string CameraId, int Viewers, DateTimeOffset? LastSegmentAt, string Error);

/// <summary>
/// Live view on the server: tracks the viewers of each camera, asks the node for the camera's video (StartLive,
/// renewed as a lease every few seconds) while at least one watches and stops it (StopLive) when the last one
/// leaves, and fans each segment out to the viewers. Capture times arrive on the node's clock and are moved to the
/// server's with the offset seen in the node's heartbeats. Runs on every replica, not only the leader: its viewers
/// and the node sessions it asks for video are this server's own.
/// </summary>
internal sealed partial class LiveHub(SessionRegistry sessions, TimeProvider clock, ILogger<LiveHub> logger) : BackgroundService
{
    public const uint LeaseSeconds = 20;
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private readonly Dictionary<(string Node, string Camera), Feed> _feeds = [];
    private readonly ConcurrentDictionary<string, TimeSpan> _clockOffsets = new(StringComparer.Ordinal);

    public LiveViewer Join(string nodeId, string cameraId)
    {
        var viewer = new LiveViewer(nodeId, cameraId, Leave);
        bool first;
        Feed feed;
        lock (_gate)
        {
            first = !_feeds.TryGetValue((nodeId, cameraId), out feed!);
            if (first)
            {
                feed = new Feed();
                _feeds[(nodeId, cameraId)] = feed;
            }

            feed.Add(viewer);
        }

        if (first)
        {
            LogFirstViewer(logger, nodeId, cameraId);
            RequestStart(nodeId, cameraId, feed);
        }
        else if (feed.Error.Length > 0)
        {
            viewer.Offer(Status(feed.Error));
        }
        else
        {
            // Fragments play only after their segment's init: a viewer joining mid-segment gets the segment so far.
            foreach (var frame in feed.SinceInit())
            {
                viewer.Offer(frame);
            }
        }

        return viewer;
    }

    /// <summary>The node's clock against the server's, from a heartbeat just received.</summary>
    public void RecordClock(string nodeId, Timestamp? nodeTime)
    {
        if (nodeTime is not null)
        {
            _clockOffsets[nodeId] = clock.GetUtcNow() - nodeTime.ToDateTimeOffset();
        }
    }

    /// <summary>A segment from a node: to every viewer of its camera.</summary>
    public void Publish(string nodeId, LiveChunk chunk)
    {
        Feed? feed;
        lock (_gate)
        {
            _feeds.TryGetValue((nodeId, chunk.CameraId), out feed);
        }

        if (feed is null)
        {
            return;
        }

        var capturedAt = (chunk.CapturedAt?.ToDateTimeOffset() ?? clock.GetUtcNow()) + _clockOffsets.GetValueOrDefault(nodeId);
        var frame = new LiveFrame(chunk.Data.ToByteArray(), capturedAt, chunk.DurationSeconds);
        feed.LastSegmentAt = clock.GetUtcNow();
        feed.Keep(frame);
        foreach (var viewer in feed.Snapshot())
        {
            viewer.Offer(frame);
        }
    }

    /// <summary>A node (re)connected: viewers waiting for its cameras get their video again.</summary>
    public void NodeConnected(string nodeId)
    {
        foreach (var (camera, feed) in FeedsOf(nodeId))
        {
            RequestStart(nodeId, camera, feed);
        }
    }

    /// <summary>The node's answer to a StartLive: when it refuses (no recording, say), the viewers are told why.</summary>
    public void CommandReplied(string nodeId, CommandReply reply)
    {
        foreach (var (camera, feed) in FeedsOf(nodeId).Where(f => f.Feed.StartCommandId == reply.CommandId))
        {
            feed.Error = reply.Ok ? "" : reply.Error;
            if (!reply.Ok)
            {
                LogRefused(logger, nodeId, camera, reply.Error);
                foreach (var viewer in feed.Snapshot())
                {
                    viewer.Offer(Status(reply.Error));
                }
            }
        }
    }

    public IReadOnlyList<LiveFeedStatus> Feeds
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Select(f => new LiveFeedStatus(f.Key.Node, f.Key.Camera, f.Value.Count, f.Value.LastSegmentAt, f.Value.Error)).ToList();
            }
        }
    }

    /// <summary>Renews the lease of every watched camera, so a node stops by itself only if the server goes away.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renewal, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                List<((string Node, string Camera) Key, Feed Feed)> feeds;
                lock (_gate)
                {
                    feeds = _feeds.Select(f => (f.Key, f.Value)).ToList();
                }

                foreach (var (key, feed) in feeds)
                {
                    RequestStart(key.Node, key.Camera, feed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Leave(LiveViewer viewer)
    {
        bool last;
        lock (_gate)
        {
            var key = (viewer.NodeId, viewer.CameraId);
            last = _feeds.TryGetValue(key, out var feed) && feed.RemoveLast(viewer);
            if (last)
            {
                _feeds.Remove(key);
            }
        }

        if (last)
        {
            LogLastViewerLeft(logger, viewer.NodeId, viewer.CameraId);
            sessions.TrySend(viewer.NodeId, new ServerMessage { Command = new Command { CommandId = NewId(), StopLive = new StopLive { CameraId = viewer.CameraId } } });
        }
    }

    private void RequestStart(string nodeId, string cameraId, Feed feed)
    {
        var id = NewId();
        feed.StartCommandId = id;
        var command = new ServerMessage { Command = new Command { CommandId = id, StartLive = new StartLive { CameraId = cameraId, LeaseSeconds = LeaseSeconds } } };
        if (!sessions.TrySend(nodeId, command))
        {
            foreach (var viewer in feed.Snapshot())
            {
                viewer.Offer(Status($"Node {nodeId} is offline; the picture starts when it reconnects."));
            }
        }
    }

    private List<(string Camera, Feed Feed)> FeedsOf(string nodeId)
    {
        lock (_gate)
        {
            return _feeds.Where(f => f.Key.Node == nodeId).Select(f => (f.Key.Camera, f.Value)).ToList();
        }
    }

    private static LiveFrame Status(string text) => new([], default, 0, text);

    private static string NewId() => Guid.NewGuid().ToString("N");

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Live: first viewer of {NodeId}.{CameraId}; asking the node for video.")]
    private static partial void LogFirstViewer(ILogger logger, string nodeId, string cameraId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Live: the last viewer of {NodeId}.{CameraId} left; stop_live sent.")]
    private static partial void LogLastViewerLeft(ILogger logger, string nodeId, string cameraId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Live: node {NodeId} cannot stream camera {CameraId}: {Error}")]
    private static partial void LogRefused(ILogger logger, string nodeId, string cameraId, string error);

    /// <summary>One watched camera. Viewers change under the hub's lock (copy on write), so fan-out reads them without it.</summary>
    private sealed class Feed
    {
        // A 2 s segment in 200 ms fragments is 10 frames; beyond this a segment is too long to replay anyway.
        private const int KeptFrames = 24;
        private readonly List<LiveFrame> _sinceInit = [];
        private LiveViewer[] _viewers = [];
        private long _lastSegmentMs;

        public int Count => Snapshot().Length;

        public string Error { get; set; } = "";

        public string StartCommandId { get; set; } = "";

        public DateTimeOffset? LastSegmentAt
        {
            get => Interlocked.Read(ref _lastSegmentMs) is > 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            set => Interlocked.Exchange(ref _lastSegmentMs, value?.ToUnixTimeMilliseconds() ?? 0);
        }

        /// <summary>The frames since the last that began with an init segment (ftyp), that one included.</summary>
        public LiveFrame[] SinceInit()
        {
            lock (_sinceInit)
            {
                return [.. _sinceInit];
            }
        }

        public void Keep(LiveFrame frame)
        {
            lock (_sinceInit)
            {
                if (StartsWithInit(frame.Data))
                {
                    _sinceInit.Clear();
                }

                // Without an init in sight (a node that sends none) there is nothing a newcomer could play.
                if (_sinceInit.Count < KeptFrames && (_sinceInit.Count > 0 || StartsWithInit(frame.Data)))
                {
                    _sinceInit.Add(frame);
                }
            }
        }

        private static bool StartsWithInit(byte[] data) => data.Length >= 8 && data.AsSpan(4, 4).SequenceEqual("ftyp"u8);

        public LiveViewer[] Snapshot() => Volatile.Read(ref _viewers);

        public void Add(LiveViewer viewer) => Volatile.Write(ref _viewers, [.. _viewers, viewer]);

        /// <summary>Removes the viewer; true when none are left.</summary>
        public bool RemoveLast(LiveViewer viewer)
        {
            Volatile.Write(ref _viewers, [.. _viewers.Where(v => v != viewer)]);
            return _viewers.Length == 0;
        }
    }
}
