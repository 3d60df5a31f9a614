using System.Collections.Concurrent;
using System.Globalization;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

/// <summary>One still of a camera, named by its time (Unix ms) so a day's stills sort by name.</summary>
internal sealed record TimelapseStill(string Path, long AtMs);

/// <summary>
/// Keeps one snapshot per camera every <c>Timelapse:IntervalSeconds</c> under
/// <c>&lt;data&gt;/timelapse/&lt;node&gt;/&lt;camera&gt;/&lt;local day&gt;/&lt;ms&gt;.jpg</c>. Nodes send snapshots every few seconds
/// (more while someone watches the live grid): keeping them all would cost a day's worth of disk per camera for
/// nothing, so the server's clock decides, whatever the node's rate.
/// </summary>
internal sealed class TimelapseStills(MediaStore media, IOptionsMonitor<TimelapseOptions> options, TimeProvider clock)
{
    private const string DayFormat = "yyyy-MM-dd";
    private readonly ConcurrentDictionary<CameraRef, long> _lastKeptMs = new();

    /// <summary>Keeps <paramref name="jpeg"/> as the camera's next still when the interval has passed; true when kept.</summary>
    public async Task<bool> OfferAsync(CameraRef camera, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // After a restart the newest still on disk counts, so a restart does not keep an extra one.
        var lastMs = _lastKeptMs.GetOrAdd(camera, NewestOnDisk);
        if (nowMs - lastMs < settings.IntervalSeconds * 1000L || !_lastKeptMs.TryUpdate(camera, nowMs, lastMs))
        {
            return false;
        }

        var path = Path.Combine(DayDirectory(camera, LocalDay.Of(now)), nowMs.ToString(CultureInfo.InvariantCulture) + ".jpg");
        await DurableFile.WriteAsync(path, jpeg, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The cameras with stills waiting.</summary>
    public IReadOnlyList<CameraRef> Cameras()
    {
        var root = media.TimelapseRoot;
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .SelectMany(node => Directory.EnumerateDirectories(node).Select(camera => new CameraRef(Path.GetFileName(node), Path.GetFileName(camera))))
            .Where(c => Identifier.IsValid(c.NodeId) && Identifier.IsValid(c.CameraId))
            .OrderBy(c => c.NodeId, StringComparer.Ordinal).ThenBy(c => c.CameraId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The local days of a camera with stills waiting, oldest first.</summary>
    public IReadOnlyList<DateOnly> Days(CameraRef camera)
    {
        var directory = media.TimelapseDirectory(camera.NodeId, camera.CameraId);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(directory)
            .Select(d => DateOnly.TryParseExact(Path.GetFileName(d), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null)
            .OfType<DateOnly>()
            .Order()
            .ToList();
    }

    /// <summary>A day's stills, oldest first (files not named by a time are not ours and are left out).</summary>
    public IReadOnlyList<TimelapseStill> Stills(CameraRef camera, DateOnly day)
    {
        var directory = DayDirectory(camera, day);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*.jpg")
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? new TimelapseStill(f, ms) : null)
            .OfType<TimelapseStill>()
            .OrderBy(s => s.AtMs)
            .ToList();
    }

    /// <summary>Removes a day's stills once its video is stored (or they are too old to wait any longer).</summary>
    public void DeleteDay(CameraRef camera, DateOnly day)
    {
        var directory = DayDirectory(camera, day);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public string DayDirectory(CameraRef camera, DateOnly day) =>
        Path.Combine(media.TimelapseDirectory(camera.NodeId, camera.CameraId), day.ToString(DayFormat, CultureInfo.InvariantCulture));

    private long NewestOnDisk(CameraRef camera)
    {
        var days = Days(camera);
        return days.Count > 0 && Stills(camera, days[^1]) is { Count: > 0 } stills ? stills[^1].AtMs : long.MinValue / 2;
    }
}
