using System.Globalization;
using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Recording;

/// <summary>
/// A reviewer fetches video from the node's own store (<see cref="RetrieveVideo"/>): the range becomes a clip job like
/// any other (cut by copy from the segment ring, pinned there until cut, sent through the clip outbox: resumable,
/// sha256-checked) with reason <c>retrieval</c> and the retrieval's id as the clip's id, which the server links back.
/// </summary>
internal sealed partial class VideoRetrieval(ICameraSet cameras, ClipQueue queue, ILogger<VideoRetrieval> logger)
{
    public const string Reason = "retrieval";

    /// <summary>Queues the cut; returns why it cannot, in words for the reviewer, or null.</summary>
    public async Task<string?> QueueAsync(RetrieveVideo command, CancellationToken cancellationToken)
    {
        if (command.RetrievalId.Length != 32 || !command.RetrievalId.All(char.IsAsciiHexDigitLower))
        {
            return $"The retrieval id '{command.RetrievalId}' is not 32 lower-case hex digits.";
        }

        if (command.Start is null || command.End is null || command.End.ToDateTimeOffset() <= command.Start.ToDateTimeOffset())
        {
            return "A retrieval needs a start before its end.";
        }

        var (start, end) = (command.Start.ToDateTimeOffset(), command.End.ToDateTimeOffset());
        if (end - start > ClipRecorder.MaxClip)
        {
            return $"A retrieval lasts at most {ClipRecorder.MaxClip.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes; ask for several.";
        }

        var camera = cameras.Cameras.FirstOrDefault(c => c.Camera.Id == command.CameraId);
        if (camera is null)
        {
            return $"This node has no camera '{command.CameraId}'.";
        }

        if (!camera.Camera.Recording.Enabled)
        {
            return $"Camera '{command.CameraId}' does not record on this node ({camera.Camera.Path}:Recording:Enabled is false).";
        }

        camera.Ring.Refresh();
        if (camera.Ring.Covering(start, end).Count == 0)
        {
            var held = camera.Ring.Ranges(Uplink.NodeStatusCollector.RecordedJoin, 3);
            var holds = held.Count == 0
                ? "it holds no video of this camera"
                : "it holds " + string.Join(", ", held.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Start:u} to {r.End:u}")));
            return string.Create(CultureInfo.InvariantCulture, $"No video of camera '{command.CameraId}' from {start:u} to {end:u} is on the node any more ({holds}).");
        }

        var added = await queue.AddJobOnceAsync(new ClipJob(command.RetrievalId, camera.Camera.Id, start, end, "", Reason), cancellationToken).ConfigureAwait(false);
        LogQueued(logger, command.RetrievalId, command.CameraId, start, end, added);
        return null;
    }

    [LoggerMessage(EventId = 615, Level = LogLevel.Information, Message = "Retrieval {RetrievalId} of camera {CameraId}, {Start:u} to {End:u}: queued (new: {Added}).")]
    private static partial void LogQueued(ILogger logger, string retrievalId, string cameraId, DateTimeOffset start, DateTimeOffset end, bool added);
}
