using CctvEdge.Server.Hosting;
using CctvEdge.Server.Notifications;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Deletes stored clips past their camera's age or size limit, and, when the clip disk's free space falls under the
/// floor, the oldest clips anywhere until it is above again. Flagged clips are kept whatever the limits say. Every
/// deletion is logged with its reason. Sensor readings, the audit log and finished deliveries age out here too.
/// </summary>
internal sealed partial class RetentionService(
    ClipStore store,
    AuditStore audit,
    DeliveryStore deliveries,
    SensorQueries sensors,
    IOptionsMonitor<RetentionOptions> options,
    IOptionsMonitor<SensorOptions> sensorOptions,
    TimeProvider clock,
    Leadership leadership,
    ILogger<RetentionService> logger) : PeriodicService(clock, leadership, logger)
{
    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(options.CurrentValue.StartDelaySeconds);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.CurrentValue.IntervalMinutes);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>One pass; returns how many clips it deleted.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = Clock.GetUtcNow();
        // The audit log keeps a year: long enough to answer "who changed this camera last spring".
        await audit.DeleteBeforeAsync(now.AddDays(-365), cancellationToken).ConfigureAwait(false);
        // Finished notification deliveries keep a year too: the channel's sent and dead counts are then "in the last year".
        await deliveries.DeleteFinishedBeforeAsync(now.AddDays(-365), cancellationToken).ConfigureAwait(false);
        // Sensor readings have their own ages per resolution (Sensors:RawDays, MinuteDays, HourDays).
        var ages = sensorOptions.CurrentValue;
        await sensors.DeleteBeforeAsync(now.AddDays(-ages.RawDays), now.AddDays(-ages.MinuteDays), now.AddDays(-ages.HourDays), cancellationToken).ConfigureAwait(false);
        if (await store.RetryFailedDeletesAsync(cancellationToken).ConfigureAwait(false) is > 0 and var failing)
        {
            LogDeletesStillFailing(logger, failing, store.Objects.Location);
        }

        var clips = (await store.StoredAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var deleted = 0;
        foreach (var camera in clips.GroupBy(c => (c.NodeId, c.CameraId)))
        {
            var (maxAgeDays, maxGigabytes) = settings.For(camera.Key.NodeId, camera.Key.CameraId);
            var cutoff = (now - TimeSpan.FromDays(maxAgeDays)).ToUnixTimeMilliseconds();
            var kept = new List<ClipRow>();
            foreach (var clip in camera)
            {
                if (!clip.Flagged && clip.EndMs < cutoff)
                {
                    await DeleteAsync(clip, $"older than {maxAgeDays} days (camera {camera.Key.NodeId}.{camera.Key.CameraId})", cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                else
                {
                    kept.Add(clip);
                }
            }

            var limit = (long)(maxGigabytes * 1024 * 1024 * 1024);
            var total = kept.Sum(c => c.Size);
            foreach (var clip in kept.Where(c => !c.Flagged))
            {
                if (limit <= 0 || total <= limit)
                {
                    break;
                }

                await DeleteAsync(clip, $"camera {camera.Key.NodeId}.{camera.Key.CameraId} over its {maxGigabytes} GB", cancellationToken).ConfigureAwait(false);
                total -= clip.Size;
                deleted++;
            }
        }

        return deleted + await EnforceFloorAsync(settings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> EnforceFloorAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        if (!store.Objects.IsOnClipDisk)
        {
            // Deleting objects in a bucket frees nothing on this disk (it holds only uploads in progress): the floor
            // would delete every clip. A bucket's size is bounded by the per-camera limits and the bucket's own quota.
            return 0;
        }

        var floor = (long)(settings.MinFreeGigabytes * 1024 * 1024 * 1024);
        var free = store.FreeBytes();
        if (free >= floor)
        {
            return 0;
        }

        var deleted = 0;
        foreach (var clip in (await store.StoredAsync(cancellationToken).ConfigureAwait(false)).Where(c => !c.Flagged))
        {
            await DeleteAsync(clip, $"clip disk below its {settings.MinFreeGigabytes} GB floor ({free} bytes free)", cancellationToken).ConfigureAwait(false);
            deleted++;
            free = store.FreeBytes();
            if (free >= floor)
            {
                return deleted;
            }
        }

        LogFloorUnreachable(logger, free, floor);
        return deleted;
    }

    private async Task DeleteAsync(ClipRow clip, string reason, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(clip, cancellationToken).ConfigureAwait(false);
        LogDeleted(logger, clip.Id, clip.NodeId, clip.CameraId, DateTimeOffset.FromUnixTimeMilliseconds(clip.StartMs), clip.Size, reason);
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Retention deleted clip {ClipId} ({NodeId}.{CameraId}, {Start:u}, {Bytes} bytes): {Reason}.")]
    private static partial void LogDeleted(ILogger logger, string clipId, string nodeId, string cameraId, DateTimeOffset start, long bytes, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "The clip disk is below its floor ({Free} of {Floor} bytes free) and only flagged clips are left.")]
    private static partial void LogFloorUnreachable(ILogger logger, long free, long floor);

    [LoggerMessage(EventId = 54, Level = LogLevel.Error, Message = "{Count} clip object(s) in {Location} could not be deleted again; their rows are gone. Retried next pass, and removed by the start-up sweep.")]
    private static partial void LogDeletesStillFailing(ILogger logger, int count, string location);

}
