using CctvEdge.Node.Cameras;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>
/// The node's upload policy in force: each camera's clip policy, and a count of the clips it kept on the node since
/// the agent started (reported in heartbeats, so the fleet page can say why clips do not arrive).
/// </summary>
internal sealed partial class UploadPolicy(IOptions<UploadPolicyOptions> options, ILogger<UploadPolicy> logger)
{
    private long _keptOnNode;

    /// <summary>No policy: every clip goes (tests and tools that build a recorder by hand).</summary>
    public static UploadPolicy SendAll { get; } = new(Microsoft.Extensions.Options.Options.Create(new UploadPolicyOptions()), NullLogger<UploadPolicy>.Instance);

    public UploadPolicyOptions Options => options.Value;

    public long KeptOnNode => Interlocked.Read(ref _keptOnNode);

    public ClipPolicy For(CameraOptions camera) => ClipPolicy.For(options.Value, camera);

    /// <summary>
    /// Whether a clip goes up by itself; when it does not, says so in the log (its video stays in the ring, so a
    /// reviewer can still fetch it).
    /// </summary>
    public bool Sends(CameraOptions camera, RecentEvents events, string reason, DateTimeOffset start, DateTimeOffset end, string? eventId)
    {
        var policy = For(camera);
        if (policy.Sends(reason, events.Showing(start, end, eventId)))
        {
            return true;
        }

        Interlocked.Increment(ref _keptOnNode);
        LogKept(logger, camera.Id, start, end, eventId ?? "", policy.Describe());
        return false;
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Clip of camera {CameraId}, {Start:u} to {End:u} (event {EventId}), kept on the node: {Why}. Its video stays in the recording ring, retrievable until the ring's retention.")]
    private static partial void LogKept(ILogger logger, string cameraId, DateTimeOffset start, DateTimeOffset end, string eventId, string why);
}
