using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Recording;

/// <summary>
/// Keeps free space on the node's data disk above Node:MinFreeMegabytes. It gives up data in order of how little it
/// costs: first ring video no clip needs (never sent anywhere, only kept for pre-roll), then, only if that is not
/// enough, the oldest clips not yet uploaded. Each dropped clip is recorded exactly: a loss report (clip id, camera,
/// times, size) goes to the server as a system event, and the loss is counted in heartbeats.
/// </summary>
internal sealed partial class DiskGuard(
    ICameraSet runtime,
    ClipQueue queue,
    IResultOutbox outbox,
    UploadStatus status,
    IOptions<NodeOptions> node,
    TimeProvider clock,
    ILogger<DiskGuard> logger) : BackgroundService
{
    /// <summary>Reads the free bytes of the data directory's disk; a seam for tests.</summary>
    public Func<long> FreeBytes { get; set; } = () => new DriveInfo(node.Value.ResolvedDataDirectory).AvailableFreeSpace;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runtime.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var floor = (long)node.Value.MinFreeMegabytes * 1024 * 1024;
        var missing = floor - FreeBytes();
        if (missing <= 0)
        {
            return;
        }

        foreach (var camera in runtime.Cameras.Where(c => c.Camera.Recording.Enabled).OrderByDescending(c => c.Ring.TotalBytes))
        {
            var freed = camera.Ring.Evict(await queue.PinnedAsync(camera.Camera.Id, cancellationToken).ConfigureAwait(false), missing);
            if (freed > 0)
            {
                LogRingTrimmed(logger, camera.Camera.Id, freed);
            }

            missing -= freed;
            if (missing <= 0)
            {
                return;
            }
        }

        foreach (var clip in await queue.OldestAsync(100, cancellationToken).ConfigureAwait(false))
        {
            await queue.RemoveAsync(clip, cancellationToken).ConfigureAwait(false);
            status.ClipLost();
            await outbox.AppendAsync(LossReport.Clip(clip.CameraId, clip.Id, clip.Start, clip.End, clip.Size, "the node's disk was full", clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            LogClipDropped(logger, clip.Id, clip.CameraId, clip.Start, clip.End, clip.Size);
            missing -= clip.Size;
            if (missing <= 0)
            {
                return;
            }
        }

        LogStillFull(logger, node.Value.ResolvedDataDirectory, missing / (1024 * 1024));
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "Disk low: trimmed {Bytes} bytes of ring video of camera {CameraId}.")]
    private static partial void LogRingTrimmed(ILogger logger, string cameraId, long bytes);

    [LoggerMessage(EventId = 631, Level = LogLevel.Error, Message = "Disk full: dropped clip {ClipId} of camera {CameraId} ({Start:u} to {End:u}, {Bytes} bytes) before it was uploaded. The loss is reported to the server.")]
    private static partial void LogClipDropped(ILogger logger, string clipId, string cameraId, DateTimeOffset start, DateTimeOffset end, long bytes);

    [LoggerMessage(EventId = 632, Level = LogLevel.Error, Message = "Disk under {Directory} is still {Megabytes} MB short of Node:MinFreeMegabytes with nothing left to drop.")]
    private static partial void LogStillFull(ILogger logger, string directory, long megabytes);

    [LoggerMessage(EventId = 633, Level = LogLevel.Error, Message = "Disk guard check failed.")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
