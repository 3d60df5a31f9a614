using System.Threading.Channels;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Live;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// The session's only writer. It wakes on new results, acks, snapshots, commands, live chunks and the heartbeat timer,
/// and sends in that order of importance: command replies, heartbeats, results (a bounded window ahead of the acks),
/// live chunks (only while the server holds a live lease), snapshots.
/// </summary>
internal sealed class SessionSender(
    IClientStreamWriter<NodeMessage> requests,
    NodeRuntime runtime,
    NodeStatusCollector status,
    IResultOutbox outbox,
    SessionState state,
    TimeSpan heartbeatInterval,
    LiveStreamer live,
    CentralConfigApplier configs,
    PluginInstaller installer,
    SnapshotPacer snapshots,
    MicrocontrollerDevices boards,
    VideoRetrieval retrievals)
{
    private readonly ResultSender _results = new(requests, outbox, state);
    private readonly AsyncSignal _wake = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<NodeMessage> _replies = new();

    // Configuration pushes and plugin installs are carried out in order by loops of their own, so a slow one (a
    // configuration is saved with fsync, a package downloaded) never holds up the acks and commands behind it.
    private readonly Channel<Command> _configs = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Command> _installs = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Command> _outputs = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Command> _retrievals = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _heartbeatNow;

    public void Wake() => _wake.Set();

    public void HandleCommand(Command command)
    {
        var reply = new CommandReply { CommandId = command.CommandId, Ok = true };
        switch (command.KindCase)
        {
            case Command.KindOneofCase.RequestSnapshot:
                snapshots.Request(command.RequestSnapshot.CameraId, command.RequestSnapshot.FollowSeconds);
                break;
            case Command.KindOneofCase.StartLive:
                var lease = TimeSpan.FromSeconds(Math.Clamp(command.StartLive.LeaseSeconds, 5, 300));
                if (live.Start(command.StartLive.CameraId, lease) is { } problem)
                {
                    reply.Ok = false;
                    reply.Error = problem;
                }

                break;
            case Command.KindOneofCase.StopLive:
                live.Stop(command.StopLive.CameraId);
                break;
            case Command.KindOneofCase.ApplyConfig:
                _configs.Writer.TryWrite(command);
                return;
            case Command.KindOneofCase.InstallPlugin:
                _installs.Writer.TryWrite(command);
                return;
            case Command.KindOneofCase.SetDeviceOutputs:
                _outputs.Writer.TryWrite(command);
                return;
            case Command.KindOneofCase.RetrieveVideo:
                _retrievals.Writer.TryWrite(command);
                return;
            default:
                reply.Ok = false;
                reply.Error = $"This node does not know the command {command.KindCase}.";
                break;
        }

        _replies.Enqueue(new NodeMessage { CommandReply = reply });
        Wake();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var applying = CarryOutInOrderAsync(_configs, (command, _) => Task.FromResult(configs.Apply(command.ApplyConfig)), cancellationToken);
        var installing = CarryOutInOrderAsync(_installs, (command, ct) => installer.InstallAsync(command.InstallPlugin, ct), cancellationToken);
        var setting = CarryOutInOrderAsync(_outputs, (command, ct) => boards.SetOutputsAsync(command.SetDeviceOutputs.SensorId, command.SetDeviceOutputs.Outputs, ct), cancellationToken);
        var retrieving = CarryOutInOrderAsync(_retrievals, (command, ct) => retrievals.QueueAsync(command.RetrieveVideo, ct), cancellationToken);
        outbox.Appended += Wake;
        live.ChunkReady += Wake;
        foreach (var camera in runtime.Cameras)
        {
            camera.Snapshots.Updated += Wake;
        }

        try
        {
            var nextHeartbeat = DateTimeOffset.UtcNow;
            while (true)
            {
                while (_replies.TryDequeue(out var reply))
                {
                    await requests.WriteAsync(reply).ConfigureAwait(false);
                }

                if (DateTimeOffset.UtcNow >= nextHeartbeat || _heartbeatNow)
                {
                    _heartbeatNow = false;
                    await requests.WriteAsync(new NodeMessage { Heartbeat = await status.BuildHeartbeatAsync(cancellationToken).ConfigureAwait(false) }).ConfigureAwait(false);
                    nextHeartbeat = DateTimeOffset.UtcNow + heartbeatInterval;
                }

                await _results.SendAsync(cancellationToken).ConfigureAwait(false);
                while (live.TryTake(out var chunk))
                {
                    await requests.WriteAsync(new NodeMessage { LiveChunk = chunk }).ConfigureAwait(false);
                }

                await SendSnapshotsAsync().ConfigureAwait(false);

                var untilHeartbeat = nextHeartbeat - DateTimeOffset.UtcNow;
                await _wake.WaitAsync(untilHeartbeat > TimeSpan.Zero ? untilHeartbeat : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _configs.Writer.TryComplete();
            _installs.Writer.TryComplete();
            _outputs.Writer.TryComplete();
            _retrievals.Writer.TryComplete();
            await Task.WhenAll(applying, installing, setting, retrieving).ConfigureAwait(false);
            outbox.Appended -= Wake;
            live.ChunkReady -= Wake;
            live.StopAll();
            foreach (var camera in runtime.Cameras)
            {
                camera.Snapshots.Updated -= Wake;
            }
        }
    }

    /// <summary>
    /// Carries out commands one after another and queues each reply (the problem, or ok for null); a success is followed
    /// by a heartbeat at once, carrying the new camera set or plugins.
    /// </summary>
    private async Task CarryOutInOrderAsync(Channel<Command> commands, Func<Command, CancellationToken, Task<string?>> carryOut, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var command in commands.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var refused = await carryOut(command, cancellationToken).ConfigureAwait(false);
                _heartbeatNow |= refused is null;
                _replies.Enqueue(new NodeMessage { CommandReply = new CommandReply { CommandId = command.CommandId, Ok = refused is null, Error = refused ?? "" } });
                Wake();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendSnapshotsAsync()
    {
        foreach (var camera in runtime.Cameras)
        {
            var id = camera.Camera.Id;
            if (camera.Snapshots.Latest is not { } latest || !snapshots.TakeIfDue(id, camera.Snapshots.Version, TimeSpan.FromSeconds(camera.Camera.SnapshotSeconds)))
            {
                continue;
            }

            await requests.WriteAsync(new NodeMessage
            {
                Snapshot = new Snapshot { CameraId = id, CapturedAt = Timestamp.FromDateTimeOffset(latest.CapturedAt), Jpeg = ByteString.CopyFrom(latest.Jpeg.Span) },
            }).ConfigureAwait(false);
        }
    }
}
