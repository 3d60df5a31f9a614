using System.Globalization;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// Video fetched from a node's own store: a retrieval is kept (so it survives a restart of either side), sent down
/// the node's session as <c>retrieve_video</c> at once or at the node's next hello, and answered by the node (queued,
/// or refused with what it holds). The video comes back as an ordinary clip whose id is the retrieval's, so its
/// upload is resumable and sha256-checked like every other, and the clip row tells how far it got.
/// </summary>
internal sealed partial class VideoRetrievals(RetrievalStore store, SessionRegistry sessions, ChangeFeed changes, ILogger<VideoRetrievals> logger)
{
    /// <summary>The longest range one retrieval may ask for (the node's longest clip).</summary>
    public static readonly TimeSpan MaxSpan = Web.Services.RetrievalLimits.Longest;

    private const string CommandPrefix = "retrieval-";

    /// <summary>
    /// Keeps the retrieval and sends it if the node is connected; returns its id, or the HTTP status and the problem in
    /// words: a range longer than <see cref="MaxSpan"/> (400), a camera the server does not know (404), a range
    /// outside every run of video the node last reported (409).
    /// </summary>
    public async Task<(string? Id, int Status, string? Problem)> TryRequestAsync(string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset end, string requestedBy, CancellationToken cancellationToken)
    {
        if (end <= start || end - start > MaxSpan)
        {
            return (null, StatusCodes.Status400BadRequest, $"A retrieval ends after it starts and lasts at most {MaxSpan.TotalMinutes:0} minutes; ask for several ranges.");
        }

        if (await store.RecordedAsync(nodeId, cameraId, cancellationToken).ConfigureAwait(false) is not { } recorded)
        {
            return (null, StatusCodes.Status404NotFound, $"The server knows no camera '{cameraId}' on node '{nodeId}'.");
        }

        if (NotHeld(recorded, start, end) is { } notHeld)
        {
            return (null, StatusCodes.Status409Conflict, notHeld);
        }

        return (await RequestAsync(nodeId, cameraId, start, end, requestedBy, cancellationToken).ConfigureAwait(false), StatusCodes.Status202Accepted, null);
    }

    private async Task<string> RequestAsync(string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset end, string requestedBy, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.AddAsync(id, nodeId, cameraId, start, end, requestedBy, cancellationToken).ConfigureAwait(false);
        LogRequested(logger, id, nodeId, cameraId, start, end, requestedBy);
        await SendAsync(id, nodeId, cameraId, start, end, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>A node's hello: whatever it has not answered goes down again (a reply lost with a session is asked again).</summary>
    public async Task NodeConnectedAsync(string nodeId, CancellationToken cancellationToken)
    {
        foreach (var retrieval in await store.UnansweredAsync(nodeId, cancellationToken).ConfigureAwait(false))
        {
            await SendAsync(retrieval.Id, nodeId, retrieval.CameraId, DateTimeOffset.FromUnixTimeMilliseconds(retrieval.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(retrieval.EndMs), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the node's answer to a retrieval; false for a reply to something else.</summary>
    public async Task<bool> TryRecordReplyAsync(string nodeId, CommandReply reply, CancellationToken cancellationToken)
    {
        if (!reply.CommandId.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var id = reply.CommandId[CommandPrefix.Length..];
        if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } retrieval || retrieval.NodeId != nodeId)
        {
            return true;
        }

        await store.SetStateAsync(id, reply.Ok ? RetrievalStore.Accepted : RetrievalStore.Refused, reply.Ok ? "" : reply.Error, cancellationToken).ConfigureAwait(false);
        if (!reply.Ok)
        {
            LogRefused(logger, id, nodeId, reply.Error);
        }

        changes.Publish(new LiveChange(LiveChangeKind.Event, nodeId, retrieval.CameraId));
        return true;
    }

    /// <summary>
    /// Why a range cannot be fetched judging by what the node last reported holding, or null when it may be (a node
    /// that never reported, an older agent, is asked and judges for itself).
    /// </summary>
    public static string? NotHeld(IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> recorded, DateTimeOffset start, DateTimeOffset end)
    {
        if (recorded.Count == 0 || recorded.Any(r => r.End > start && r.Start < end))
        {
            return null;
        }

        var held = string.Join(", ", recorded.TakeLast(3).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Start:u} to {r.End:u}")));
        var more = recorded.Count > 3 ? $" (and {recorded.Count - 3} earlier runs)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"The node no longer holds video from {start:u} to {end:u}; it holds {held}{more}.");
    }

    private async Task SendAsync(string id, string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var command = new Command
        {
            CommandId = CommandPrefix + id,
            RetrieveVideo = new RetrieveVideo { RetrievalId = id, CameraId = cameraId, Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) },
        };
        if (sessions.TrySend(nodeId, new ServerMessage { Command = command }))
        {
            await store.SetStateAsync(id, RetrievalStore.Sent, "", cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 170, Level = LogLevel.Information, Message = "Retrieval {RetrievalId}: node {NodeId} camera {CameraId}, {Start:u} to {End:u}, asked by {By}.")]
    private static partial void LogRequested(ILogger logger, string retrievalId, string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset end, string by);

    [LoggerMessage(EventId = 171, Level = LogLevel.Warning, Message = "Retrieval {RetrievalId}: node {NodeId} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string retrievalId, string nodeId, string error);
}
