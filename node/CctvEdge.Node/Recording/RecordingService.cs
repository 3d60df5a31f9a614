using System.Globalization;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Recording;

/// <summary>
/// Runs the recording side of every camera: reads newly finished segments, schedules continuous clips, cuts clip
/// jobs once the video they need exists, and trims the rings (never the video a waiting job needs).
/// </summary>
internal sealed partial class RecordingService(
    ICameraSet runtime,
    ClipQueue queue,
    IProcessRunner processes,
    IOptions<FfmpegOptions> ffmpeg,
    TimeProvider clock,
    ILogger<RecordingService> logger,
    UploadPolicy policy) : BackgroundService
{
    /// <summary>How long a job waits for video that does not come (camera down) before it is cut from what exists.</summary>
    private static readonly TimeSpan GiveUpWaiting = TimeSpan.FromSeconds(60);
    internal const string ContinuousReason = "continuous";
    private readonly AsyncSignal _wake = new();
    private readonly ClipCutter _cutter = new(queue, processes, ffmpeg.Value, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runtime.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        queue.JobAdded += _wake.Set;
        foreach (var camera in Recording())
        {
            camera.Ring.SweepOrphans();
        }

        await SweepOutboxAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var cameras = Recording().ToDictionary(c => c.Camera.Id, StringComparer.Ordinal);
        foreach (var camera in cameras.Values)
        {
            camera.Ring.Refresh();
            if (camera.Camera.Recording.Continuous)
            {
                await ScheduleContinuousAsync(camera, cancellationToken).ConfigureAwait(false);
            }
        }

        var jobs = await queue.JobsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            if (!cameras.TryGetValue(job.CameraId, out var camera))
            {
                LogJobDropped(logger, job.Id, job.CameraId, "the camera no longer records");
                await queue.DropJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var recordedUpTo = camera.Ring.LatestEnd;
            var waitedLongEnough = clock.GetUtcNow() - job.End > GiveUpWaiting;
            if ((recordedUpTo is null || recordedUpTo < job.End) && !waitedLongEnough)
            {
                continue;
            }

            var segments = job.Reason == ContinuousReason ? camera.Ring.StartingIn(job.Start, job.End) : camera.Ring.Covering(job.Start, job.End);
            if (segments.Count == 0)
            {
                LogJobDropped(logger, job.Id, job.CameraId, $"no video was recorded between {job.Start:u} and {job.End:u}");
                await queue.DropJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await _cutter.CutAsync(job, segments, cancellationToken).ConfigureAwait(false);
        }

        foreach (var camera in cameras.Values)
        {
            camera.Ring.Evict(jobs.Where(j => j.CameraId == camera.Camera.Id).Select(j => (j.Start, j.End)).ToList());
        }
    }

    /// <summary>Back-to-back windows of ContinuousClipSeconds; the window's end and its job are saved together.</summary>
    private async Task ScheduleContinuousAsync(CameraWorker camera, CancellationToken cancellationToken)
    {
        var options = camera.Camera.Recording;
        var length = TimeSpan.FromSeconds(options.ContinuousClipSeconds);
        var key = "continuous:" + camera.Camera.Id;
        var now = clock.GetUtcNow();
        var saved = await queue.GetStateAsync(key, cancellationToken).ConfigureAwait(false);
        var from = saved is null ? now : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(saved, CultureInfo.InvariantCulture));
        // After a long outage, the ring holds nothing older than RingSeconds: start again from now.
        if (now - from > TimeSpan.FromSeconds(options.RingSeconds))
        {
            from = now;
        }

        if (saved is null || from == now)
        {
            await queue.SetStateAsync(key, from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            return;
        }

        while (from + length <= now)
        {
            var next = (from + length).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            if (policy.Sends(camera.Camera, camera.Events.Recent, ContinuousReason, from, from + length, null))
            {
                var job = new ClipJob(Guid.NewGuid().ToString("N"), camera.Camera.Id, from, from + length, "", ContinuousReason);
                await queue.AddJobAsync(job, key, next, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The window passes without a job: its video stays in the ring, retrievable.
                await queue.SetStateAsync(key, next, cancellationToken).ConfigureAwait(false);
            }

            from += length;
        }
    }

    /// <summary>
    /// Removes what a crash between cutting and committing left behind: work files, and cut clips that neither a row
    /// nor a job claims (a clip with a job is simply cut again).
    /// </summary>
    private async Task SweepOutboxAsync(CancellationToken cancellationToken)
    {
        var tmp = Path.Combine(queue.Directory, "tmp");
        if (Directory.Exists(tmp))
        {
            foreach (var file in Directory.GetFiles(tmp))
            {
                File.Delete(file);
            }
        }

        var clips = Path.Combine(queue.Directory, "clips");
        if (!Directory.Exists(clips))
        {
            return;
        }

        var claimed = (await queue.ClipIdsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        claimed.UnionWith((await queue.JobsAsync(cancellationToken).ConfigureAwait(false)).Select(j => j.Id));
        foreach (var file in Directory.GetFiles(clips, "*.mp4"))
        {
            if (!claimed.Contains(Path.GetFileNameWithoutExtension(file)))
            {
                File.Delete(file);
            }
        }
    }

    private IEnumerable<CameraWorker> Recording() => runtime.Cameras.Where(c => c.Camera.Recording.Enabled);

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "Clip {ClipId} of camera {CameraId} dropped: {Reason}.")]
    private static partial void LogJobDropped(ILogger logger, string clipId, string cameraId, string reason);

    [LoggerMessage(EventId = 621, Level = LogLevel.Error, Message = "Recording pass failed; retrying in 5 s.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
