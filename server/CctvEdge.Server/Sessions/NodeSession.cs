using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using CctvEdge.Protocol.V1;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// One connected node. Everything sent to the node goes through <see cref="Send"/> into a queue drained by a single
/// writer, because a gRPC stream takes one write at a time and acks, commands and welcome come from different places.
/// </summary>
internal sealed class NodeSession : IAsyncDisposable
{
    private readonly Channel<ServerMessage> _outgoing = Channel.CreateBounded<ServerMessage>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly CancellationTokenSource _cancellation;
    private Task _writer = Task.CompletedTask;

    public NodeSession(string nodeId, HashSet<string> cameraIds, CancellationToken callToken)
    {
        NodeId = nodeId;
        _cameraIds = cameraIds;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callToken);
    }

    public string NodeId { get; }

    private IReadOnlySet<string> _cameraIds;

    /// <summary>The node's cameras: from its hello, then from the camera sets it sends after configuration changes.</summary>
    public IReadOnlySet<string> CameraIds
    {
        get => Volatile.Read(ref _cameraIds);
        set => Volatile.Write(ref _cameraIds, value);
    }

    public Guid SessionId { get; } = Guid.NewGuid();

    /// <summary>Fires when the call ends or a newer session for the same node replaces this one.</summary>
    public CancellationToken Token => _cancellation.Token;

    public bool Superseded { get; private set; }

    public void StartWriter(IServerStreamWriter<ServerMessage> responses) =>
        _writer = Task.Run(async () =>
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(Token).ConfigureAwait(false))
            {
                await responses.WriteAsync(message).ConfigureAwait(false);
            }
        });

    /// <summary>Queues a message; false when the session is over or its queue is full (a stuck node).</summary>
    public bool Send(ServerMessage message) => _outgoing.Writer.TryWrite(message);

    /// <summary>The writer's task, so the call can fail when writing fails.</summary>
    public Task Writer => _writer;

    /// <summary>Why the server ended the session itself (a revoked credential); the node gets it as the call's status.</summary>
    public string? EndReason { get; private set; }

    public void End(string reason)
    {
        EndReason = reason;
        _cancellation.Cancel();
    }

    public void Supersede()
    {
        Superseded = true;
        _cancellation.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await _cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The call is over; a failed final write changes nothing.
        }

        _cancellation.Dispose();
    }
}

/// <summary>The open sessions, one per node: a node that reconnects replaces its old session at once.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, NodeSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Add(NodeSession session)
    {
        _sessions.AddOrUpdate(session.NodeId, session, (_, old) =>
        {
            // The old connection may be a half-dead TCP link the server has not noticed yet.
            old.Supersede();
            return session;
        });
    }

    /// <summary>Removes the session unless a newer one for the node has already replaced it.</summary>
    public bool Remove(NodeSession session) => _sessions.TryRemove(new KeyValuePair<string, NodeSession>(session.NodeId, session));

    public bool IsConnected(string nodeId) => _sessions.ContainsKey(nodeId);

    /// <summary>Ends a node's session now, with <paramref name="reason"/>; it meets the authenticator again when it reconnects.</summary>
    public void Disconnect(string nodeId, string reason)
    {
        if (_sessions.TryGetValue(nodeId, out var session))
        {
            session.End(reason);
        }
    }

    public bool TrySend(string nodeId, ServerMessage message) => _sessions.TryGetValue(nodeId, out var session) && session.Send(message);
}
