namespace CctvEdge.Node.Uplink;

/// <summary>
/// Decides which new snapshots go up. ffmpeg writes one every <c>GridSnapshotSeconds</c>; the link carries one every
/// <c>SnapshotSeconds</c>, unless someone asked for the latest now, or a live grid follows the camera: then every new
/// one until the follow lapses. Used by the session's single writer only.
/// </summary>
internal sealed class SnapshotPacer(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _requested = [];
    private readonly Dictionary<string, DateTimeOffset> _followUntil = [];
    private readonly Dictionary<string, (long Version, DateTimeOffset At)> _sent = [];

    /// <summary>The longest follow one request buys; a grid renews well before it lapses.</summary>
    public static readonly TimeSpan MaxFollow = TimeSpan.FromMinutes(2);

    /// <summary>A request from the server: the latest now, and with a follow, every new one for that long.</summary>
    public void Request(string cameraId, uint followSeconds)
    {
        lock (_gate)
        {
            _requested.Add(cameraId);
            if (followSeconds > 0)
            {
                var follow = TimeSpan.FromSeconds(Math.Min(followSeconds, MaxFollow.TotalSeconds));
                _followUntil[cameraId] = clock.GetUtcNow() + follow;
            }
        }
    }

    /// <summary>Whether snapshot <paramref name="version"/> of the camera should be sent now; if so, it counts as sent.</summary>
    public bool TakeIfDue(string cameraId, long version, TimeSpan interval)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var requested = _requested.Remove(cameraId);
            var (sentVersion, sentAt) = _sent.GetValueOrDefault(cameraId, (0, DateTimeOffset.MinValue));
            var followed = _followUntil.TryGetValue(cameraId, out var until) && until > now;
            var due = requested || (version != sentVersion && (followed || now - sentAt >= interval));
            if (due)
            {
                _sent[cameraId] = (version, now);
            }

            return due;
        }
    }

    /// <summary>Whether a grid follows the camera now (for tests and the node's status).</summary>
    public bool IsFollowed(string cameraId)
    {
        lock (_gate)
        {
            return _followUntil.TryGetValue(cameraId, out var until) && until > clock.GetUtcNow();
        }
    }
}
