using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Metrics;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Timelapse;
using CctvEdge.Web.Services;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Sessions;

/// <summary>The server side of <c>cctvedge.v1.NodeService</c>.</summary>
internal sealed partial class NodeSessionService(
    NodeStore nodes,
    IngestQueue ingest,
    MediaStore media,
    TimelapseStills timelapse,
    SessionRegistry sessions,
    ChangeFeed changes,
    LiveHub live,
    NodeAuthenticator authenticator,
    NodeEnrolment enrolment,
    ConfigSync configs,
    PluginRollouts rollouts,
    VideoRetrievals retrievals,
    CommandReplies replies,
    ServerMetrics metrics,
    IOptions<ServerOptions> options,
    TimeProvider clock,
    ILogger<NodeSessionService> logger) : NodeService.NodeServiceBase
{
    public const uint ProtocolVersion = 1;
    public static readonly string ServerVersion = typeof(NodeSessionService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    private const int MaxSnapshotBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(15);

    public override Task<ServerInfo> GetServerInfo(GetServerInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerInfo { ServerVersion = ServerVersion, ProtocolVersion = ProtocolVersion, ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) });

    public override Task<EnrolReply> Enrol(EnrolRequest request, ServerCallContext context) =>
        enrolment.EnrolAsync(request, context.Peer, context.CancellationToken);

    public override async Task DownloadPlugin(PluginDownload request, IServerStreamWriter<PluginPackageChunk> responseStream, ServerCallContext context) =>
        await rollouts.DownloadAsync(await authenticator.AuthenticateAsync(context).ConfigureAwait(false), request, responseStream, context.CancellationToken).ConfigureAwait(false);

    public override async Task Connect(IAsyncStreamReader<NodeMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var hello = await ReadHelloAsync(requestStream, context).ConfigureAwait(false);
        await using var session = new NodeSession(hello.NodeId, hello.Cameras.Select(c => c.Id).ToHashSet(StringComparer.Ordinal), context.CancellationToken);
        sessions.Add(session);
        try
        {
            var lastSequence = await nodes.RegisterAsync(hello, session.Token).ConfigureAwait(false);
            LogSensorProblems(hello.NodeId, hello.Sensors);
            changes.Publish(new LiveChange(LiveChangeKind.Node, hello.NodeId, null));
            LogConnected(logger, hello.NodeId, hello.AgentVersion, context.Peer, lastSequence);
            session.StartWriter(responseStream);
            session.Send(new ServerMessage
            {
                Welcome = new Welcome
                {
                    ServerVersion = ServerVersion,
                    ProtocolVersion = ProtocolVersion,
                    LastSequence = lastSequence,
                    ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
                    HeartbeatSeconds = (uint)options.Value.HeartbeatSeconds,
                },
            });

            live.NodeConnected(hello.NodeId);
            metrics.NodeConnected(hello.NodeId);
            await configs.NodeConnectedAsync(hello, session.Token).ConfigureAwait(false);
            await rollouts.NodeConnectedAsync(hello.NodeId, session.Token).ConfigureAwait(false);
            await retrievals.NodeConnectedAsync(hello.NodeId, session.Token).ConfigureAwait(false);
            var acks = new AckPipeline();
            var acking = acks.RunAsync(outcome => Acknowledge(session, outcome), session.Token);
            var reading = ReadMessagesAsync(requestStream, session, acks);
            // A failing writer (the node stopped reading) or store must end the call as surely as a failing reader.
            await Task.WhenAny(reading, session.Writer, acking).ConfigureAwait(false);
            if (reading.IsCompletedSuccessfully)
            {
                // The node closed its side: the batches it sent last are still stored and acknowledged.
                acks.Complete();
                await acking.ConfigureAwait(false);
            }

            await (reading.IsCompleted ? reading : session.Writer.IsCompleted ? session.Writer : acking).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.EndReason is { } reason)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
        }
        catch (OperationCanceledException) when (session.Superseded)
        {
            LogSuperseded(logger, hello.NodeId);
        }
        finally
        {
            if (sessions.Remove(session))
            {
                await nodes.SetDisconnectedAsync(hello.NodeId, CancellationToken.None).ConfigureAwait(false);
                changes.Publish(new LiveChange(LiveChangeKind.Node, hello.NodeId, null));
                LogDisconnected(logger, hello.NodeId);
            }
        }
    }

    private async Task<Hello> ReadHelloAsync(IAsyncStreamReader<NodeMessage> requests, ServerCallContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(HelloTimeout);
        bool any;
        try
        {
            any = await requests.MoveNext(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"No hello within {HelloTimeout.TotalSeconds} s."));
        }

        if (!any || requests.Current.BodyCase != NodeMessage.BodyOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message of a session must be a hello."));
        }

        var hello = requests.Current.Hello;
        if (await HelloProblemAsync(hello, context.CancellationToken).ConfigureAwait(false) is { } problem)
        {
            LogRefused(logger, hello.NodeId, context.Peer, problem.Detail);
            throw new RpcException(problem);
        }

        return hello;
    }

    private async Task<Status?> HelloProblemAsync(Hello hello, CancellationToken cancellationToken)
    {
        if (hello.ProtocolVersion != ProtocolVersion)
        {
            return new Status(StatusCode.FailedPrecondition, $"Protocol version {hello.ProtocolVersion} is not supported; this server speaks {ProtocolVersion}. Upgrade the node or the server.");
        }

        if (await authenticator.ProblemAsync(hello.NodeId, hello.Credential, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (hello.NodeName.Length > 100)
        {
            return new Status(StatusCode.InvalidArgument, "The node's name is longer than 100 characters.");
        }

        if (CameraProblem(hello.Cameras) is { } cameras)
        {
            return cameras;
        }

        if (ConfigSync.CamerasJsonProblem(hello.CamerasJson) is { } config)
        {
            return new Status(StatusCode.InvalidArgument, config);
        }

        if (string.IsNullOrWhiteSpace(hello.NodeName))
        {
            hello.NodeName = hello.NodeId;
        }

        return null;
    }

    /// <summary>A node's camera list, from a hello or after a configuration change: at most 256, ids valid and unique.</summary>
    private static Status? CameraProblem(IReadOnlyCollection<CameraInfo> cameras)
    {
        if (cameras.Count > 256)
        {
            return new Status(StatusCode.InvalidArgument, "The node has more than 256 cameras.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var camera in cameras)
        {
            if (!Identifier.IsValid(camera.Id) || !seen.Add(camera.Id) || camera.Name.Length > 100)
            {
                return new Status(StatusCode.InvalidArgument, $"Camera id '{camera.Id}' is invalid or repeated, or its name is too long: {Identifier.Rule}.");
            }
        }

        return null;
    }

    private void Acknowledge(NodeSession session, IngestOutcome outcome)
    {
        metrics.ResultsIngested(session.NodeId, outcome.Stored);
        session.Send(new ServerMessage { Ack = new Ack { Sequence = outcome.AcknowledgedSequence } });
        if (outcome.EventsChanged > 0)
        {
            changes.Publish(new LiveChange(LiveChangeKind.Event, session.NodeId, null));
        }
    }

    private async Task ReadMessagesAsync(IAsyncStreamReader<NodeMessage> requests, NodeSession session, AckPipeline acks)
    {
        var nodeId = session.NodeId;
        while (await requests.MoveNext(session.Token).ConfigureAwait(false))
        {
            var message = requests.Current;
            switch (message.BodyCase)
            {
                case NodeMessage.BodyOneofCase.Heartbeat:
                    if (message.Heartbeat.CameraSet is { } cameras)
                    {
                        if (CameraProblem(cameras.Cameras) is { } problem)
                        {
                            throw new RpcException(problem);
                        }

                        session.CameraIds = cameras.Cameras.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                    }

                    live.RecordClock(nodeId, message.Heartbeat.NodeTime);
                    await nodes.RecordHeartbeatAsync(nodeId, message.Heartbeat, session.Token).ConfigureAwait(false);
                    LogSensorProblems(nodeId, message.Heartbeat.Sensors);
                    metrics.Heartbeat(nodeId, message.Heartbeat);
                    changes.Publish(new LiveChange(LiveChangeKind.Node, nodeId, null));
                    break;
                case NodeMessage.BodyOneofCase.Results:
                    await acks.AddAsync(ingest.EnqueueAsync(nodeId, message.Results.Results), session.Token).ConfigureAwait(false);
                    break;
                case NodeMessage.BodyOneofCase.Snapshot:
                    await StoreSnapshotAsync(session, message.Snapshot).ConfigureAwait(false);
                    break;
                case NodeMessage.BodyOneofCase.CommandReply:
                    LogCommandReply(logger, nodeId, message.CommandReply.CommandId, message.CommandReply.Ok, message.CommandReply.Error);
                    if (!replies.TryComplete(message.CommandReply)
                        && !await configs.TryRecordReplyAsync(nodeId, message.CommandReply, session.Token).ConfigureAwait(false)
                        && !await rollouts.TryRecordReplyAsync(nodeId, message.CommandReply, session.Token).ConfigureAwait(false)
                        && !await retrievals.TryRecordReplyAsync(nodeId, message.CommandReply, session.Token).ConfigureAwait(false))
                    {
                        live.CommandReplied(nodeId, message.CommandReply);
                    }

                    break;
                case NodeMessage.BodyOneofCase.LiveChunk when session.CameraIds.Contains(message.LiveChunk.CameraId):
                    live.Publish(nodeId, message.LiveChunk);
                    break;
                case NodeMessage.BodyOneofCase.LiveChunk:
                    break;
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unexpected message {message.BodyCase} in an open session."));
            }
        }
    }

    private async Task StoreSnapshotAsync(NodeSession session, Snapshot snapshot)
    {
        var jpeg = snapshot.Jpeg;
        if (!session.CameraIds.Contains(snapshot.CameraId) || jpeg.Length is < 4 or > MaxSnapshotBytes || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            LogSnapshotRejected(logger, session.NodeId, snapshot.CameraId, jpeg.Length);
            return;
        }

        await media.WriteSnapshotAsync(session.NodeId, snapshot.CameraId, jpeg.Memory, session.Token).ConfigureAwait(false);
        await timelapse.OfferAsync(new CameraRef(session.NodeId, snapshot.CameraId), jpeg.Memory, session.Token).ConfigureAwait(false);
        metrics.SnapshotStored(session.NodeId, jpeg.Length);
        var at = snapshot.CapturedAt?.ToDateTimeOffset() ?? clock.GetUtcNow();
        await nodes.SetSnapshotTimeAsync(session.NodeId, snapshot.CameraId, at, session.Token).ConfigureAwait(false);
        changes.Publish(new LiveChange(LiveChangeKind.Snapshot, session.NodeId, snapshot.CameraId));
    }

    /// <summary>Sensors the store skipped (bad ids): said in the log, not by ending the session, so the cameras keep working.</summary>
    private void LogSensorProblems(string nodeId, IEnumerable<SensorInfo> sensors)
    {
        foreach (var problem in sensors.Select(SensorStore.Problem).OfType<string>())
        {
            LogSensorSkipped(logger, nodeId, problem);
        }
    }

    [LoggerMessage(EventId = 39, Level = LogLevel.Warning, Message = "Node {NodeId}: sensor skipped: {Problem}.")]
    private static partial void LogSensorSkipped(ILogger logger, string nodeId, string problem);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Node {NodeId} {Version} connected from {Peer}; it has stored results up to {LastSequence}.")]
    private static partial void LogConnected(ILogger logger, string nodeId, string version, string peer, ulong lastSequence);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Node {NodeId} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Refused node '{NodeId}' from {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string nodeId, string peer, string reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Node {NodeId}: an older session was replaced by a new connection.")]
    private static partial void LogSuperseded(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Node {NodeId}: snapshot for camera '{CameraId}' rejected ({Bytes} bytes; unknown camera or not a JPEG).")]
    private static partial void LogSnapshotRejected(ILogger logger, string nodeId, string cameraId, int bytes);

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "Node {NodeId} answered command {CommandId}: ok={Ok} {Error}")]
    private static partial void LogCommandReply(ILogger logger, string nodeId, string commandId, bool ok, string error);
}
