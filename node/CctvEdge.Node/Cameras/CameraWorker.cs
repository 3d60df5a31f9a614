using CctvEdge.Node.Configuration;
using CctvEdge.Node.Recording;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// Keeps one camera running: starts ffmpeg, reads gray frames from its stdout and hands them to the fan-out, picks
/// up snapshots, and when ffmpeg is missing, dies or stalls (no frame for <see cref="CameraOptions.StallSeconds"/>,
/// the socket still open) reports why and tries again with backoff. A camera that failed stays failed, with its
/// reason, until frames flow again: retries do not hide an outage behind "starting". It never throws out.
/// </summary>
internal sealed partial class CameraWorker(
    CameraOptions camera,
    FfmpegOptions ffmpeg,
    string cameraDirectory,
    IProcessRunner runner,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(60);

    private IRunningProcess? _process;
    private CameraOptions _options = camera;

    /// <summary>
    /// The camera's entry as now configured. Its video settings never change under a running worker (a change of
    /// those gets a new worker); its name and plugins may (<see cref="Retag"/>).
    /// </summary>
    public CameraOptions Camera => Volatile.Read(ref _options);

    public CameraStatusBoard Status { get; } = new();

    public SnapshotSlot Snapshots { get; } = new();

    public FrameFanOut Frames { get; } = CreateFanOut(camera.Id, logger);

    /// <summary>Events published on this camera, for the plugins that observe them.</summary>
    public CameraEventBus Events { get; } = new(clock);

    /// <summary>The recorded segments clips are cut from.</summary>
    public SegmentRing Ring { get; } = new(Path.Combine(cameraDirectory, "recording"), camera.Recording, clock, logger);

    /// <summary>The ffmpeg process now running, for CPU and memory accounting.</summary>
    public IRunningProcess? Process => Volatile.Read(ref _process);

    /// <summary>Takes a new entry for this camera whose video settings are the same (<see cref="CameraFleet.VideoKey"/>).</summary>
    public void Retag(CameraOptions options) => Volatile.Write(ref _options, options);

    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(ffmpeg.RestartMinSeconds), TimeSpan.FromSeconds(ffmpeg.RestartMaxSeconds));
        while (!stop.IsCancellationRequested)
        {
            if (Status.Read().State != CameraRunState.Failed)
            {
                Status.Set(CameraRunState.Starting);
            }

            var started = clock.GetUtcNow();
            string? error;
            try
            {
                error = await RunOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (ProcessStartException ex)
            {
                error = ex.Message + " " + (ex.FileName == ffmpeg.Path
                    ? "Install ffmpeg (Debian: apt install ffmpeg) or set Ffmpeg:Path."
                    : $"Install rpicam-apps (Raspberry Pi OS: apt install rpicam-apps) or set {Camera.Path}:Source:Command.");
            }
            catch (Exception ex)
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            if (error is null)
            {
                // A planned restart (the colour output changed): not a failure, no backoff.
                continue;
            }

            if (clock.GetUtcNow() - started > StableRun)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            Status.Set(CameraRunState.Failed, error);
            LogCameraFailed(logger, Camera.Id, error, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, clock, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Status.Set(CameraRunState.Stopped);
    }

    /// <summary>Runs ffmpeg until it ends; returns why it ended, or null when the node restarted it on purpose.</summary>
    private async Task<string?> RunOnceAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(cameraDirectory);
        var snapshotPath = Path.Combine(cameraDirectory, "snapshot.jpg");
        string? recording = null;
        if (Camera.Recording.Enabled)
        {
            recording = Ring.Directory;
            Directory.CreateDirectory(recording);
        }

        _restartRequested = false;
        var color = ColorDemand.Current;
        using var colorSocket = color is null ? null : ColorSocket.Listen();
        var arguments = FfmpegArguments.Build(Camera, snapshotPath, recording, runId: clock.GetUtcNow().ToUnixTimeMilliseconds(),
            color: color is { } wanted ? (wanted, colorSocket!.Path) : null);
        var process = await StartAsync(arguments).ConfigureAwait(false);
        Volatile.Write(ref _process, process);
        LogCameraStarted(logger, Camera.Id, Camera.Source.Kind);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var snapshots = WatchSnapshotsAsync(snapshotPath, watch.Token);
        var stall = new StallWatch(TimeSpan.FromSeconds(Camera.StallSeconds), clock.GetUtcNow(), MainStreamLimit());
        var stalls = WatchForStallAsync(process, stall, watch.Token);
        var colorFrames = colorSocket is null ? Task.CompletedTask : ReadColorFramesAsync(colorSocket, color!.Value, watch.Token);
        var colorDemand = WatchColorDemandAsync(process, color, watch.Token);
        try
        {
            await ReadFramesAsync(process.Output, stop).ConfigureAwait(false);
            var exitCode = await process.Exited.WaitAsync(TimeSpan.FromSeconds(5), stop).ConfigureAwait(false);
            return _restartRequested ? null : stall.Reason ?? CameraFailure.Describe(exitCode, process.RecentErrors);
        }
        catch (TimeoutException)
        {
            return stall.Reason ?? "ffmpeg closed its output but did not exit: " + CameraFailure.Redact(process.RecentErrors);
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            await snapshots.ConfigureAwait(false);
            await stalls.ConfigureAwait(false);
            await colorDemand.ConfigureAwait(false);
            await colorFrames.ConfigureAwait(false);
            await process.StopAsync(TimeSpan.FromSeconds(ffmpeg.StopTimeoutSeconds)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _process, null);
        }
    }

    /// <summary>ffmpeg, fed by rpicam-vid for the Pi camera.</summary>
    private async Task<IRunningProcess> StartAsync(IReadOnlyList<string> arguments)
    {
        if (Camera.Source.Kind != CameraSourceKinds.Rpicam)
        {
            return runner.Start(ffmpeg.Path, arguments);
        }

        var command = RpicamCommand.Resolve(Camera.Source);
        var producer = runner.Start(command, RpicamCommand.Arguments(Camera.Source, Camera.Recording.SegmentSeconds));
        try
        {
            return new PipedProcess(Path.GetFileName(command), producer, runner.Start(ffmpeg.Path, arguments));
        }
        catch
        {
            await producer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadFramesAsync(Stream output, CancellationToken stop)
    {
        var (width, height) = (Camera.Detect.Width, Camera.Detect.Height);
        var frameSize = width * height;
        long number = 0;
        while (true)
        {
            var buffer = SharedFrame.Rent(width, height);
            var read = await output.ReadAtLeastAsync(buffer.AsMemory(0, frameSize), frameSize, throwOnEndOfStream: false, stop).ConfigureAwait(false);
            if (read < frameSize)
            {
                // End of stream; a partial frame at the end is a torn write, not a picture.
                SharedFrame.Return(buffer);
                return;
            }

            var now = clock.GetUtcNow();
            Status.FrameArrived(now);
            var frame = SharedFrame.Wrap(buffer, width, height, ++number, now);
            Frames.Dispatch(frame);
            frame.Release();
        }
    }

    /// <summary>Stops ffmpeg when no frame has come for the stall time: a stream that hangs with its socket open.</summary>
    private async Task WatchForStallAsync(IRunningProcess process, StallWatch stall, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(1, Camera.StallSeconds / 4)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (stall.WatchesMainStream)
                {
                    Ring.Refresh();
                }

                if (stall.Check(Status.Read().LastFrameAt, Ring.LatestEnd, clock.GetUtcNow()))
                {
                    await process.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// With a sub-stream, frames keep coming when only the main stream fails, and ffmpeg goes on without it: the main
    /// stream is watched through its segments instead, which must keep completing. Null when there is nothing to watch.
    /// </summary>
    private TimeSpan? MainStreamLimit() =>
        Camera.Source.HasSubStream && Camera.Recording.Enabled
            ? TimeSpan.FromSeconds(Math.Max(Camera.StallSeconds, 3 * Camera.Recording.SegmentSeconds))
            : null;

    private async Task WatchSnapshotsAsync(string path, CancellationToken stop)
    {
        var lastWrite = DateTime.MinValue;
        var period = TimeSpan.FromSeconds(Math.Clamp(Camera.SnapshotWriteSeconds / 4, 0.25, 2));
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists || info.LastWriteTimeUtc == lastWrite)
                    {
                        continue;
                    }

                    // ffmpeg replaces the file by rename (atomic_writing), so a read sees one whole picture.
                    var bytes = await File.ReadAllBytesAsync(path, stop).ConfigureAwait(false);
                    if (SnapshotSlot.LooksComplete(bytes))
                    {
                        lastWrite = info.LastWriteTimeUtc;
                        Snapshots.Publish(new JpegSnapshot(bytes, clock.GetUtcNow()));
                    }
                }
                catch (IOException ex)
                {
                    LogSnapshotFailed(logger, Camera.Id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static FrameFanOut CreateFanOut(string cameraId, ILogger logger)
    {
        var fanOut = new FrameFanOut();
        fanOut.ConsumerFailed += (consumer, ex) => LogConsumerFailed(logger, cameraId, consumer.GetType().Name, ex);
        return fanOut;
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "Camera {CameraId}: frame consumer {Consumer} threw; the camera goes on.")]
    private static partial void LogConsumerFailed(ILogger logger, string cameraId, string consumer, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Camera {CameraId}: ffmpeg started ({SourceKind}).")]
    private static partial void LogCameraStarted(ILogger logger, string cameraId, string sourceKind);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Camera {CameraId} failed: {Error} Retrying in {DelaySeconds:0.0}s.")]
    private static partial void LogCameraFailed(ILogger logger, string cameraId, string error, double delaySeconds);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Camera {CameraId}: could not read the snapshot: {Error}")]
    private static partial void LogSnapshotFailed(ILogger logger, string cameraId, string error);

    /// <summary>When the last frame (and, with a sub-stream, the last main-stream segment) of this run came, and whether that was too long ago.</summary>
    private sealed class StallWatch(TimeSpan limit, DateTimeOffset started, TimeSpan? mainLimit)
    {
        public string? Reason { get; private set; }

        public bool WatchesMainStream => mainLimit is not null;

        public bool Check(DateTimeOffset? lastFrame, DateTimeOffset? lastSegmentEnd, DateTimeOffset now)
        {
            var since = lastFrame is { } frame && frame > started ? frame : started;
            if (now - since >= limit)
            {
                Reason = lastFrame > started
                    ? $"no frames for {limit.TotalSeconds:0} s: the stream stalled with its connection open"
                    : $"no frames within {limit.TotalSeconds:0} s of starting: the camera accepted the connection but sent no video";
                return true;
            }

            if (mainLimit is { } main && now - (lastSegmentEnd is { } end && end > started ? end : started) >= main)
            {
                Reason = $"the main stream sent nothing to record for {main.TotalSeconds:0} s while the sub-stream played";
                return true;
            }

            return false;
        }
    }
}
