using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Recording;

/// <summary>
/// The host's <see cref="IClipRecorder"/> for one camera: a request becomes a durable job for the clip cutter, unless
/// the node's upload policy keeps that clip on the node (its video then stays in the ring, retrievable).
/// </summary>
internal sealed class ClipRecorder(CameraOptions camera, ClipQueue queue, UploadPolicy? policy = null, RecentEvents? events = null) : IClipRecorder
{
    /// <summary>The longest clip anyone may ask for; longer footage is continuous recording's job.</summary>
    public static readonly TimeSpan MaxClip = TimeSpan.FromMinutes(30);

    public bool IsRecording => camera.Recording.Enabled;

    public async ValueTask<string> RequestClipAsync(ClipRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsRecording)
        {
            throw new InvalidOperationException($"Camera '{camera.Id}' does not record ({camera.Path}:Recording:Enabled is false).");
        }

        if (request.End <= request.Start || request.End - request.Start > MaxClip)
        {
            throw new ArgumentException($"A clip must end after it starts and last at most {MaxClip.TotalMinutes} minutes (asked {request.Start:O} to {request.End:O}).", nameof(request));
        }

        var id = Guid.NewGuid().ToString("N");
        if (policy is not null && events is not null && !policy.Sends(camera, events, request.Reason, request.Start, request.End, request.EventId))
        {
            await queue.SettleEventsAsync(camera.Id, request.Start, request.End, cancellationToken).ConfigureAwait(false);
            return id;
        }

        await queue.AddJobAsync(new ClipJob(id, camera.Id, request.Start, request.End, request.EventId ?? "", request.Reason), cancellationToken).ConfigureAwait(false);
        return id;
    }
}
