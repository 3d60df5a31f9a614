using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// Runs a push camera in place of ffmpeg: takes the pictures that arrive in its inbox (by FTP, or through the node's
/// HTTP endpoint), checks each (a JPEG, whole, decodable), feeds it to the camera's plugins as a gray frame and shows
/// it as the snapshot, and groups pictures into bursts. Each burst becomes one event (its pictures' COM comments in
/// the payload) and one clip made from its pictures, both through the outbox. Bursts live on disk until both are in the
/// outbox, so a burst a stop interrupts is finished by the next start. Waiting for pictures is this camera's normal
/// state, not an outage: it is Running from the moment its inbox is watched.
/// </summary>
internal sealed partial class PushCameraSource(
    CameraWorker camera,
    string inbox,
    PushBurstStore store,
    PushOptions push,
    PushPictureDecoder decoder,
    PushClipMaker clips,
    IResultOutbox outbox,
    ClipQueue queue,
    TimeProvider clock,
    ILogger logger)
{
    public const string PublisherId = "push";
    public const string EventKind = "motion";
    private const int MaxCommentChars = 32 * 1024;
    private static readonly TimeSpan ScanPeriod = TimeSpan.FromMilliseconds(500);
    private readonly AsyncSignal _wake = new();
    private readonly BurstGrouper _grouper = new(TimeSpan.FromSeconds(camera.Camera.Source.BurstGapSeconds), PushInbox.StableFor + ScanPeriod + ScanPeriod);
    private StoredBurst? _open;
    private long _frameNumber;

    public CameraWorker Camera => camera;

    public string Inbox => inbox;

    /// <summary>Looks at the inbox now (a picture was posted, or the folder changed).</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = backoff.Next();
                camera.Status.Set(CameraRunState.Failed, $"the inbox {inbox} cannot be used: {ex.Message}");
                LogFailed(logger, camera.Camera.Id, inbox, ex.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, clock, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // An open burst stays on disk: the next start makes its event and clip.
        camera.Status.Set(CameraRunState.Stopped);
    }

    private async Task RunOnceAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(inbox);
        store.Create();
        var pictures = new PushInbox(inbox, push.MaxImageBytes, clock, logger);
        _open = null;
        _grouper.Reset();
        foreach (var left in store.Stored())
        {
            await FinishAsync(left, interrupted: true, stop).ConfigureAwait(false);
        }

        // Pictures that were being checked when the last run ended go through the inbox again.
        foreach (var staged in Directory.EnumerateFiles(store.Incoming))
        {
            File.Move(staged, Path.Combine(inbox, Path.GetFileName(staged)), overwrite: true);
        }

        using var watcher = Watch();
        camera.Status.Set(CameraRunState.Running);
        LogWatching(logger, camera.Camera.Id, inbox);
        while (true)
        {
            await _wake.WaitAsync(ScanPeriod, stop).ConfigureAwait(false);
            foreach (var file in pictures.Scan())
            {
                await TakeAsync(file, stop).ConfigureAwait(false);
                pictures.Forget(file.Path);
            }

            // A picture still being uploaded that belongs to the burst keeps it open, however slow the upload.
            if (_open is { } open && _grouper.IsOver(clock.GetUtcNow()) && pictures.Waiting.All(_grouper.StartsNew))
            {
                _open = null;
                _grouper.Reset();
                await FinishAsync(open, interrupted: false, stop).ConfigureAwait(false);
            }

            camera.Status.Set(CameraRunState.Running);
        }
    }

    /// <summary>Moves the picture out of the inbox into the node's own folder, checks it there, then adds it to its burst.</summary>
    private async Task TakeAsync(InboxFile file, CancellationToken stop)
    {
        var staged = Path.Combine(store.Incoming, Guid.NewGuid().ToString("N") + ".jpg");
        try
        {
            File.Move(file.Path, staged);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        var name = Path.GetRelativePath(inbox, file.Path);
        var bytes = new FileInfo(staged) is { LinkTarget: null, Length: var length } && length <= push.MaxImageBytes
            ? await File.ReadAllBytesAsync(staged, stop).ConfigureAwait(false)
            : null;
        if (bytes is null || !JpegFile.IsComplete(bytes))
        {
            File.Delete(staged);
            LogRefused(logger, camera.Camera.Id, name, bytes is null ? "not a regular file within Push:MaxImageBytes" : "not a whole JPEG");
            return;
        }

        var snapshot = staged + ".snapshot.jpg";
        var (gray, error) = await decoder.DecodeAsync(staged, camera.Camera, snapshot, stop).ConfigureAwait(false);
        if (gray is null)
        {
            File.Delete(staged);
            File.Delete(snapshot);
            LogRefused(logger, camera.Camera.Id, name, error);
            return;
        }

        if (_open is { } open && _grouper.StartsNew(file.Time))
        {
            _open = null;
            _grouper.Reset();
            await FinishAsync(open, interrupted: false, stop).ConfigureAwait(false);
        }

        _open = store.Add(_open ?? store.Begin(file.Time), staged, file.Time);
        _grouper.Add(file.Time);
        Dispatch(gray, snapshot);
    }

    private void Dispatch(byte[] gray, string snapshot)
    {
        var now = clock.GetUtcNow();
        camera.Status.FrameArrived(now);
        var frame = SharedFrame.Wrap(gray, camera.Camera.Detect.Width, camera.Camera.Detect.Height, ++_frameNumber, now);
        camera.Frames.Dispatch(frame);
        frame.Release();
        try
        {
            var jpeg = File.ReadAllBytes(snapshot);
            if (SnapshotSlot.LooksComplete(jpeg))
            {
                camera.Snapshots.Publish(new JpegSnapshot(jpeg, now));
            }
        }
        catch (IOException)
        {
            // No snapshot this time; the frame went to the plugins all the same.
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    /// <summary>
    /// The burst's event and clip, then the burst's folder goes. Run again after a crash it sends the event again (same
    /// id: the server keeps one) and skips a clip already in the outbox.
    /// </summary>
    internal async Task FinishAsync(StoredBurst burst, bool interrupted, CancellationToken stop)
    {
        var cameraId = camera.Camera.Id;
        if (burst.Images.Count == 0)
        {
            store.Remove(burst);
            return;
        }

        var comments = new List<string>();
        (int, int)? size = null;
        foreach (var image in burst.Images)
        {
            var bytes = await File.ReadAllBytesAsync(image.Path, stop).ConfigureAwait(false);
            size ??= JpegFile.Size(bytes);
            foreach (var comment in JpegFile.Comments(bytes))
            {
                if (!comments.Contains(comment, StringComparer.Ordinal) && comments.Sum(c => c.Length) + comment.Length <= MaxCommentChars)
                {
                    comments.Add(comment);
                }
            }
        }

        var start = burst.Images[0].Time;
        var end = burst.Images.Max(i => i.Time);
        var e = new PluginEvent(burst.Id, EventKind, start)
        {
            End = end,
            Peak = 1,
            Payload = Payload(burst.Images.Count, comments, interrupted, clipError: null),
        };
        await outbox.AppendAsync(ResultMapper.FromEvent(cameraId, PublisherId, e, clock.GetUtcNow()), stop).ConfigureAwait(false);
        camera.Events.Publish(e, PublisherId);
        if (!(await queue.ClipIdsAsync(stop).ConfigureAwait(false)).Contains(burst.Id))
        {
            try
            {
                var bytes = await clips.MakeAsync(cameraId, burst, size ?? (camera.Camera.Detect.Width, camera.Camera.Detect.Height), stop).ConfigureAwait(false);
                LogBurst(logger, cameraId, burst.Id, burst.Images.Count, start, end, bytes, comments.Count);
            }
            catch (IOException ex)
            {
                // Said on the event: the pictures could not become a clip, and they are not kept for ever.
                LogNoClip(logger, cameraId, burst.Id, ex.Message);
                var reported = e with { Payload = Payload(burst.Images.Count, comments, interrupted, ex.Message) };
                await outbox.AppendAsync(ResultMapper.FromEvent(cameraId, PublisherId, reported, clock.GetUtcNow()), stop).ConfigureAwait(false);
            }
        }

        store.Remove(burst);
    }

    private static object Payload(int images, List<string> comments, bool interrupted, string? clipError) => clipError is null
        ? new { source = "push", images, comments, interrupted }
        : new { source = "push", images, comments, interrupted, clipError };

    private FileSystemWatcher? Watch()
    {
        try
        {
            var watcher = new FileSystemWatcher(inbox) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.DirectoryName };
            watcher.Created += (_, _) => Wake();
            watcher.Changed += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches, say: the periodic scan finds the pictures all the same, a little later.
            LogNoWatcher(logger, camera.Camera.Id, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 223, Level = LogLevel.Information, Message = "Camera {CameraId}: watching the push inbox {Inbox}.")]
    private static partial void LogWatching(ILogger logger, string cameraId, string inbox);

    [LoggerMessage(EventId = 224, Level = LogLevel.Warning, Message = "Camera {CameraId}: refused {Name} from the inbox: {Reason}. Deleted.")]
    private static partial void LogRefused(ILogger logger, string cameraId, string name, string reason);

    [LoggerMessage(EventId = 225, Level = LogLevel.Information, Message = "Camera {CameraId}: burst {BurstId} of {Images} picture(s), {Start:u} to {End:u}: event and clip ({Bytes} bytes) in the outbox, {Comments} comment(s).")]
    private static partial void LogBurst(ILogger logger, string cameraId, string burstId, int images, DateTimeOffset start, DateTimeOffset end, long bytes, int comments);

    [LoggerMessage(EventId = 226, Level = LogLevel.Error, Message = "Camera {CameraId}: the pictures of burst {BurstId} could not be made into a clip: {Error}. The event says so.")]
    private static partial void LogNoClip(ILogger logger, string cameraId, string burstId, string error);

    [LoggerMessage(EventId = 227, Level = LogLevel.Warning, Message = "Camera {CameraId}: the push inbox {Inbox} cannot be used: {Error} Retrying in {DelaySeconds:0.0}s.")]
    private static partial void LogFailed(ILogger logger, string cameraId, string inbox, string error, double delaySeconds);

    [LoggerMessage(EventId = 228, Level = LogLevel.Warning, Message = "Camera {CameraId}: no file watcher on the inbox ({Error}); it is scanned every half second instead.")]
    private static partial void LogNoWatcher(ILogger logger, string cameraId, string error);
}
