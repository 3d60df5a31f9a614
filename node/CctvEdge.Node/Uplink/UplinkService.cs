using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Node.Live;
using CctvEdge.Node.Outbox;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// Keeps the node's session with the server: dials out, says hello, then streams heartbeats, snapshots and result
/// batches while acks come back. Whatever breaks the session, it reconnects with backoff and resends everything
/// not yet acknowledged; the server drops the duplicates by sequence.
/// </summary>
internal sealed partial class UplinkService(
    NodeRuntime runtime,
    NodeStatusCollector status,
    IResultOutbox outbox,
    ServerConnection server,
    ResultDelivery delivery,
    LiveStreamer live,
    CentralConfigApplier configs,
    PluginInstaller installer,
    MicrocontrollerDevices boards,
    VideoRetrieval retrievals,
    IOptions<ServerConnectionOptions> options,
    TimeProvider clock,
    ILogger<UplinkService> logger) : BackgroundService
{
    private static readonly TimeSpan WelcomeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(30);
    private bool _rebased;

    /// <summary>True while a session is open, for the node's own health reporting and tests.</summary>
    public bool Connected { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runtime.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        var settings = options.Value;
        var backoff = new Backoff(TimeSpan.FromSeconds(settings.ReconnectMinSeconds), TimeSpan.FromSeconds(settings.ReconnectMaxSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            try
            {
                await RunSessionAsync(new NodeService.NodeServiceClient(server.Channel), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
            {
                LogRefused(logger, server.Address, ex.StatusCode, ex.Status.Detail);
                FailOver();
            }
            catch (Exception ex)
            {
                LogSessionLost(logger, server.Address, Describe(ex), outbox.PendingCount);
                FailOver();
            }
            finally
            {
                Connected = false;
                delivery.LastSent = ulong.MaxValue;
            }

            if (DateTimeOffset.UtcNow - started > StableSession)
            {
                backoff.Reset();
            }

            try
            {
                await Task.Delay(backoff.Next(), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>With several servers, the next session tries the next one: a replica that went away is not waited for.</summary>
    private void FailOver()
    {
        var from = server.Address;
        if (server.Failover())
        {
            LogFailingOver(logger, from, server.Address);
        }
    }

    private async Task RunSessionAsync(NodeService.NodeServiceClient client, CancellationToken stoppingToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var call = client.Connect(server.Call(session.Token));
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = status.BuildHello() }).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(WelcomeTimeout, session.Token).ConfigureAwait(false)
            || call.ResponseStream.Current.BodyCase != ServerMessage.BodyOneofCase.Welcome)
        {
            throw new InvalidOperationException("The server did not answer the hello with a welcome.");
        }

        var welcome = call.ResponseStream.Current.Welcome;
        if (!_rebased)
        {
            await outbox.RebaseAsync(welcome.LastSequence, session.Token).ConfigureAwait(false);
            _rebased = true;
        }

        outbox.Acknowledge(welcome.LastSequence);
        Connected = true;
        LogConnected(logger, server.Address, welcome.ServerVersion, welcome.LastSequence, outbox.PendingCount);

        var state = new SessionState(welcome.LastSequence, delivery);
        var heartbeat = TimeSpan.FromSeconds(welcome.HeartbeatSeconds is > 0 and <= 300 ? welcome.HeartbeatSeconds : 5);
        var sender = new SessionSender(call.RequestStream, runtime, status, outbox, state, heartbeat, live, configs, installer, new SnapshotPacer(clock), boards, retrievals);
        var sending = sender.RunAsync(session.Token);
        var receiving = ReceiveAsync(call.ResponseStream, state, sender, session.Token);
        var first = await Task.WhenAny(sending, receiving).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(sending, receiving).ConfigureAwait(false);
        }
        catch when (first.IsFaulted)
        {
            await first.ConfigureAwait(false);
        }

        await first.ConfigureAwait(false);
        throw new InvalidOperationException("The server closed the session.");
    }

    private async Task ReceiveAsync(IAsyncStreamReader<ServerMessage> responses, SessionState state, SessionSender sender, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = responses.Current;
            switch (message.BodyCase)
            {
                case ServerMessage.BodyOneofCase.Ack:
                    state.Acknowledged(message.Ack.Sequence);
                    outbox.Acknowledge(message.Ack.Sequence);
                    sender.Wake();
                    break;
                case ServerMessage.BodyOneofCase.Command:
                    sender.HandleCommand(message.Command);
                    break;
            }
        }
    }

    private static string Describe(Exception ex) => ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : $"{ex.GetType().Name}: {ex.Message}";

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Connected to {Address} (server {ServerVersion}); server holds results up to {LastSequence}; {Pending} pending here.")]
    private static partial void LogConnected(ILogger logger, string address, string serverVersion, ulong lastSequence, long pending);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Session with {Address} lost or not established ({Reason}); {Pending} results kept for resending. Reconnecting with backoff.")]
    private static partial void LogSessionLost(ILogger logger, string address, string reason, long pending);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Failing over from the server at {From} to the one at {To} (Server:Addresses).")]
    private static partial void LogFailingOver(ILogger logger, string from, string to);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "The server at {Address} refused this node ({Code}: {Detail}). Check Node:Id and Server:Credential. Retrying with backoff.")]
    private static partial void LogRefused(ILogger logger, string address, StatusCode code, string detail);
}

/// <summary>What one session knows about delivery: the last sequence sent and the last acknowledged.</summary>
internal sealed class SessionState
{
    private readonly ResultDelivery _delivery;
    private ulong _acknowledged;

    public SessionState(ulong acknowledged, ResultDelivery delivery)
    {
        _acknowledged = acknowledged;
        _delivery = delivery;
        LastSent = acknowledged;
    }

    public ulong LastSent
    {
        get => _delivery.LastSent;
        set => _delivery.LastSent = value;
    }

    public ulong LastAcknowledged => Interlocked.Read(ref _acknowledged);

    public void Acknowledged(ulong sequence)
    {
        ulong current;
        while ((current = Interlocked.Read(ref _acknowledged)) < sequence && Interlocked.CompareExchange(ref _acknowledged, sequence, current) != current)
        {
        }
    }
}
