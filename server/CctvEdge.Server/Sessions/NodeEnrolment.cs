using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Sessions;

/// <summary>The server side of <c>NodeService.Enrol</c>: a one-time code in, the node's own credential out.</summary>
internal sealed partial class NodeEnrolment(EnrolmentStore store, ILogger<NodeEnrolment> logger)
{
    public async Task<EnrolReply> EnrolAsync(EnrolRequest request, string peer, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(request.NodeId))
        {
            throw Refuse(request, peer, StatusCode.InvalidArgument, $"Node id '{request.NodeId}' is invalid: {Identifier.Rule}.");
        }

        if (request.NodeName.Length > 100)
        {
            throw Refuse(request, peer, StatusCode.InvalidArgument, "The node's name is longer than 100 characters.");
        }

        if (EnrolmentSecrets.HashCode(request.Code) is not { } codeHash)
        {
            throw Refuse(request, peer, StatusCode.InvalidArgument, "That is not an enrolment code: a code is 16 letters and digits, as XXXX-XXXX-XXXX-XXXX.");
        }

        var credential = EnrolmentSecrets.NewCredential();
        var outcome = await store.RedeemAsync(codeHash, request.NodeId, EnrolmentSecrets.HashCredential(credential), cancellationToken).ConfigureAwait(false);
        if (outcome != EnrolmentOutcome.Enrolled)
        {
            throw outcome switch
            {
                EnrolmentOutcome.UnknownCode => Refuse(request, peer, StatusCode.NotFound, "No such enrolment code; check it, or ask for a new one."),
                EnrolmentOutcome.CodeUsed => Refuse(request, peer, StatusCode.FailedPrecondition, "This enrolment code was used already; a code enrols one node once. Ask for a new one."),
                EnrolmentOutcome.CodeRevoked => Refuse(request, peer, StatusCode.FailedPrecondition, "This enrolment code was revoked. Ask for a new one."),
                EnrolmentOutcome.CodeExpired => Refuse(request, peer, StatusCode.FailedPrecondition, "This enrolment code has expired. Ask for a new one."),
                EnrolmentOutcome.CodeForAnotherNode => Refuse(request, peer, StatusCode.PermissionDenied, $"This enrolment code was issued for another node id, not '{request.NodeId}'."),
                _ => Refuse(request, peer, StatusCode.AlreadyExists, $"Node '{request.NodeId}' is enrolled already; to replace it, use a code issued for node id '{request.NodeId}', or revoke its credential first."),
            };
        }

        LogEnrolled(logger, request.NodeId, request.Hostname, peer);
        return new EnrolReply { NodeId = request.NodeId, Credential = credential };
    }

    private RpcException Refuse(EnrolRequest request, string peer, StatusCode code, string why)
    {
        LogRefused(logger, request.NodeId, peer, why);
        return new RpcException(new Status(code, why));
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Node {NodeId} ({Hostname}) enrolled from {Peer}")]
    private static partial void LogEnrolled(ILogger logger, string nodeId, string hostname, string peer);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Enrolment of node '{NodeId}' from {Peer} refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string nodeId, string peer, string why);
}
