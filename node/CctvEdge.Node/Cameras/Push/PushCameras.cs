using System.Collections.Concurrent;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// The push cameras now running: the camera fleet runs a push camera's worker through here instead of ffmpeg, and the
/// HTTP endpoint finds a camera's inbox here (only cameras that are configured, enabled and of kind push).
/// </summary>
internal sealed class PushCameras(
    IOptions<NodeOptions> node,
    IOptions<PushOptions> push,
    IOptions<FfmpegOptions> ffmpeg,
    IProcessRunner processes,
    IResultOutbox outbox,
    ClipQueue queue,
    TimeProvider clock,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, PushCameraSource> _running = new(StringComparer.Ordinal);

    public PushCameraSource? Find(string cameraId) => _running.GetValueOrDefault(cameraId);

    /// <summary>The camera's inbox: Source:Inbox, else &lt;data&gt;/inbox/&lt;camera id&gt;.</summary>
    public static string InboxOf(CameraOptions camera, string dataDirectory) =>
        camera.Source.Inbox.Length > 0 ? Path.GetFullPath(camera.Source.Inbox) : Path.Combine(dataDirectory, "inbox", camera.Id);

    /// <summary>Runs the camera from its inbox until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CameraWorker worker, CancellationToken stop)
    {
        var camera = worker.Camera;
        var data = node.Value.ResolvedDataDirectory;
        var logger = loggers.CreateLogger("CctvEdge.Node.Camera." + camera.Id);
        var source = new PushCameraSource(
            worker,
            InboxOf(camera, data),
            new PushBurstStore(Path.Combine(data, "cameras", camera.Id, "push")),
            push.Value,
            new PushPictureDecoder(processes, ffmpeg.Value),
            new PushClipMaker(queue, new ClipCutter(queue, processes, ffmpeg.Value, logger)),
            outbox,
            queue,
            clock,
            logger);
        _running[camera.Id] = source;
        try
        {
            await source.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, PushCameraSource>(camera.Id, source));
        }
    }
}
