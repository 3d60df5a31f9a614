using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Storage;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

internal enum TimelapseStatus
{
    Built,
    NoStills,
    Failed,
}

/// <summary>What one build did: the clip it stored, or why there is none.</summary>
internal sealed record TimelapseOutcome(TimelapseStatus Status, string? ClipId, int Frames, int Skipped, string Message);

/// <summary>
/// Turns one camera's stills of one day into a clip of reason <c>timelapse</c> in the clip store (so the clip API, the
/// player, exports and retention treat it like any clip), then deletes the stills. Whole stills only: a truncated or
/// foreign file is left out with a log line. When ffmpeg fails the stills stay for the next try.
/// </summary>
internal sealed partial class TimelapseBuilder(
    TimelapseStills stills,
    TimelapseEncoder encoder,
    ClipStore clips,
    IOptions<ServerOptions> serverOptions,
    IOptionsMonitor<TimelapseOptions> options,
    ILogger<TimelapseBuilder> logger)
{
    public const string Reason = "timelapse";

    // One encode at a time: ffmpeg takes a core, and the daily pass and an admin's request must not build one day twice.
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<TimelapseOutcome> BuildAsync(CameraRef camera, DateOnly day, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await BuildLockedAsync(camera, day, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The clip id of a build: the camera (hashed: ids of 63 characters would not fit) and its last still.</summary>
    internal static string ClipId(CameraRef camera, long lastStillMs) =>
        string.Create(CultureInfo.InvariantCulture, $"tl-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(camera.NodeId + "/" + camera.CameraId)))[..16]}-{lastStillMs}");

    private async Task<TimelapseOutcome> BuildLockedAsync(CameraRef camera, DateOnly day, CancellationToken cancellationToken)
    {
        var all = stills.Stills(camera, day);
        if (all.Count == 0)
        {
            LogNoStills(logger, camera.NodeId, camera.CameraId, day);
            return new TimelapseOutcome(TimelapseStatus.NoStills, null, 0, 0, $"No stills of {camera.NodeId}.{camera.CameraId} on {day:yyyy-MM-dd}.");
        }

        var good = new List<(TimelapseStill Still, int Width, int Height)>();
        foreach (var still in all)
        {
            var bytes = await File.ReadAllBytesAsync(still.Path, cancellationToken).ConfigureAwait(false);
            if (JpegHeader.TryReadSize(bytes, out var width, out var height))
            {
                good.Add((still, width, height));
            }
            else
            {
                LogCorruptStill(logger, still.Path, bytes.Length);
            }
        }

        var skipped = all.Count - good.Count;
        if (good.Count == 0)
        {
            LogNoGoodStills(logger, camera.NodeId, camera.CameraId, day, all.Count);
            stills.DeleteDay(camera, day);
            return new TimelapseOutcome(TimelapseStatus.NoStills, null, 0, skipped, $"None of the {all.Count} stills of {day:yyyy-MM-dd} is a whole JPEG.");
        }

        var clipId = ClipId(camera, good[^1].Still.AtMs);
        if (await clips.FindAsync(clipId, cancellationToken).ConfigureAwait(false) is { IsStored: true })
        {
            // Stored before a crash or stop kept the stills from being deleted.
            stills.DeleteDay(camera, day);
            return new TimelapseOutcome(TimelapseStatus.Built, clipId, good.Count, skipped, "Already stored.");
        }

        var work = Path.Combine(stills.DayDirectory(camera, day), ".work");
        var part = clips.PartPath(clipId);
        try
        {
            // Numbered links to the stills for ffmpeg's image2 pattern: no copies, and the stills stay until the clip is stored.
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            Directory.CreateDirectory(work);
            Directory.CreateDirectory(clips.UploadsDirectory);
            for (var i = 0; i < good.Count; i++)
            {
                var link = Path.Combine(work, i.ToString("000000", CultureInfo.InvariantCulture) + ".jpg");
                File.CreateSymbolicLink(link, good[i].Still.Path);
            }

            var error = await encoder.EncodeAsync(work, good[0].Width, good[0].Height, part, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                LogEncodeFailed(logger, camera.NodeId, camera.CameraId, day, error);
                File.Delete(part);
                return new TimelapseOutcome(TimelapseStatus.Failed, null, 0, skipped, error);
            }

            var (size, sha256) = await SealAsync(part, cancellationToken).ConfigureAwait(false);
            var thumbnail = await WriteThumbnailAsync(camera, clipId, good[good.Count / 2].Still.Path, cancellationToken).ConfigureAwait(false);
            var row = new ClipRow
            {
                Id = clipId,
                NodeId = camera.NodeId,
                CameraId = camera.CameraId,
                Reason = Reason,
                StartMs = good[0].Still.AtMs,
                EndMs = Math.Max(good[^1].Still.AtMs, good[0].Still.AtMs + 1),
                Size = size,
                Sha256 = sha256,
            };
            await clips.StoreOwnAsync(row, options.CurrentValue.FramesPerSecond, part, thumbnail, cancellationToken).ConfigureAwait(false);
            stills.DeleteDay(camera, day);
            LogBuilt(logger, clipId, camera.NodeId, camera.CameraId, day, good.Count, skipped, size);
            return new TimelapseOutcome(TimelapseStatus.Built, clipId, good.Count, skipped, "Stored.");
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>fsyncs the finished MP4 (the commit renames it) and reads its size and sha256 for the clip row.</summary>
    private static async Task<(long Size, byte[] Sha256)> SealAsync(string part, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(part, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        file.Flush(flushToDisk: true);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return (file.Length, hash);
    }

    private async Task<(string Path, long Size)?> WriteThumbnailAsync(CameraRef camera, string clipId, string still, CancellationToken cancellationToken)
    {
        var relative = MediaStore.TimelapseThumbnailPath(camera.NodeId, camera.CameraId, clipId);
        var bytes = await File.ReadAllBytesAsync(still, cancellationToken).ConfigureAwait(false);
        await DurableFile.WriteAsync(Path.Combine(serverOptions.Value.ResolvedDataDirectory, relative), bytes, cancellationToken).ConfigureAwait(false);
        return (relative, bytes.Length);
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "Timelapse {ClipId} of {NodeId}.{CameraId} for {Day:yyyy-MM-dd} stored: {Frames} stills, {Skipped} skipped, {Bytes} bytes.")]
    private static partial void LogBuilt(ILogger logger, string clipId, string nodeId, string cameraId, DateOnly day, int frames, int skipped, long bytes);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "Timelapse of {NodeId}.{CameraId} for {Day:yyyy-MM-dd} not made: {Error}. The stills are kept for the next try.")]
    private static partial void LogEncodeFailed(ILogger logger, string nodeId, string cameraId, DateOnly day, string error);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "Timelapse still {Path} ({Bytes} bytes) is not a whole JPEG; left out.")]
    private static partial void LogCorruptStill(ILogger logger, string path, int bytes);

    [LoggerMessage(EventId = 164, Level = LogLevel.Information, Message = "No timelapse stills of {NodeId}.{CameraId} for {Day:yyyy-MM-dd}; nothing to make.")]
    private static partial void LogNoStills(ILogger logger, string nodeId, string cameraId, DateOnly day);

    [LoggerMessage(EventId = 165, Level = LogLevel.Warning, Message = "None of the {Count} timelapse stills of {NodeId}.{CameraId} for {Day:yyyy-MM-dd} is a whole JPEG; deleted without a video.")]
    private static partial void LogNoGoodStills(ILogger logger, string nodeId, string cameraId, DateOnly day, int count);
}
