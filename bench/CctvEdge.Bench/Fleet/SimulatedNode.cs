using System.Collections.Concurrent;
using System.Diagnostics;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// One node's session as the agent keeps it: hello, welcome, then the agent's own <see cref="ResultSender"/> sending
/// the outbox ahead of the acks, and acks moving the outbox's watermark. Ack latency is the time from writing a batch
/// to the ack that covers its last result.
/// </summary>
internal sealed class SimulatedNode(string nodeId, GrpcChannel channel, IResultOutbox outbox, ResultSendLimits limits)
{
    private readonly AsyncSignal _wake = new();
    private readonly ConcurrentQueue<(ulong Last, long SentAt)> _inFlight = new();

    public string NodeId { get; } = nodeId;

    public IResultOutbox Outbox { get; } = outbox;

    /// <summary>Milliseconds from a batch's write to its ack, for every batch acknowledged.</summary>
    public ConcurrentBag<double> AckMilliseconds { get; } = [];

    /// <summary>Keeps the session until <paramref name="cancellationToken"/> fires, or until everything up to <paramref name="until"/> is acknowledged.</summary>
    public async Task RunAsync(ulong until, CancellationToken cancellationToken)
    {
        using var call = new NodeService.NodeServiceClient(channel).Connect(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = FleetResults.Hello(NodeId) }, cancellationToken).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || call.ResponseStream.Current.Welcome is not { } welcome)
        {
            throw new InvalidOperationException($"{NodeId}: no welcome.");
        }

        Outbox.Acknowledge(welcome.LastSequence);
        var state = new SessionState(welcome.LastSequence, new ResultDelivery());
        var sender = new ResultSender(new TimedWriter(call.RequestStream, _inFlight), Outbox, state, limits);
        Outbox.Appended += _wake.Set;
        try
        {
            var receiving = ReceiveAcksAsync(call.ResponseStream, state, cancellationToken);
            while (!cancellationToken.IsCancellationRequested && state.LastAcknowledged < until && !receiving.IsCompleted)
            {
                await sender.SendAsync(cancellationToken).ConfigureAwait(false);
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException && cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Outbox.Appended -= _wake.Set;
        }
    }

    private async Task ReceiveAcksAsync(IAsyncStreamReader<ServerMessage> responses, SessionState state, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (responses.Current.Ack is not { } ack)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                while (_inFlight.TryPeek(out var sent) && sent.Last <= ack.Sequence && _inFlight.TryDequeue(out _))
                {
                    AckMilliseconds.Add(Stopwatch.GetElapsedTime(sent.SentAt, now).TotalMilliseconds);
                }

                state.Acknowledged(ack.Sequence);
                Outbox.Acknowledge(ack.Sequence);
                _wake.Set();
            }
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Notes when each result batch goes out, so its ack can be timed.</summary>
    private sealed class TimedWriter(IClientStreamWriter<NodeMessage> inner, ConcurrentQueue<(ulong Last, long SentAt)> inFlight) : IClientStreamWriter<NodeMessage>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public async Task WriteAsync(NodeMessage message)
        {
            // Noted before the write: the ack can come back before the write's task completes.
            if (message.Results is { Results.Count: > 0 } batch)
            {
                inFlight.Enqueue((batch.Results[^1].Sequence, Stopwatch.GetTimestamp()));
            }

            await inner.WriteAsync(message).ConfigureAwait(false);
        }

        public Task CompleteAsync() => inner.CompleteAsync();
    }
}
