using System.Collections.Concurrent;
using CctvEdge.Protocol.V1;

namespace CctvEdge.Server.Sessions;

/// <summary>How a command that a caller waits on ended.</summary>
internal enum CommandOutcome
{
    /// <summary>The node answered; see the reply.</summary>
    Replied,

    /// <summary>The node has no session: nothing was sent.</summary>
    Offline,

    /// <summary>Sent, but no answer came in time.</summary>
    TimedOut,
}

/// <summary>
/// Commands whose caller waits for the node's answer (a board's outputs set from the API): each is sent with a fresh
/// id and completed by the reply the session reads back, or given up after a timeout.
/// </summary>
internal sealed class CommandReplies(SessionRegistry sessions)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandReply>> _waiting = new(StringComparer.Ordinal);

    public async Task<(CommandOutcome Outcome, CommandReply? Reply)> SendAsync(string nodeId, Command command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        command.CommandId = Guid.NewGuid().ToString("N");
        var waiter = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[command.CommandId] = waiter;
        try
        {
            if (!sessions.TrySend(nodeId, new ServerMessage { Command = command }))
            {
                return (CommandOutcome.Offline, null);
            }

            return (CommandOutcome.Replied, await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false));
        }
        catch (TimeoutException)
        {
            return (CommandOutcome.TimedOut, null);
        }
        finally
        {
            _waiting.TryRemove(command.CommandId, out _);
        }
    }

    /// <summary>Hands a reply to its waiting caller; false when nobody waits for it (another part of the server sent it).</summary>
    public bool TryComplete(CommandReply reply) => _waiting.TryRemove(reply.CommandId, out var waiter) && waiter.TrySetResult(reply);
}
