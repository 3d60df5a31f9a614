using System.Security.Cryptography;
using System.Text;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// Checks a node's identity. A node that enrolled must present the credential it was given, whatever else the
/// server allows, so nobody can pose as it. Any other node is accepted only when the server does not require
/// enrolment (<c>Server:RequireEnrolment</c>), and then with the shared <c>Server:NodeCredential</c> when one is set.
/// </summary>
internal sealed class NodeAuthenticator(EnrolmentStore enrolment, IOptions<ServerOptions> options)
{
    /// <summary>Why <paramref name="nodeId"/> with <paramref name="credential"/> is refused, or null when it is accepted.</summary>
    public async Task<Status?> ProblemAsync(string nodeId, string credential, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return new Status(StatusCode.InvalidArgument, $"Node id '{nodeId}' is invalid: {Identifier.Rule}.");
        }

        var enrolled = await enrolment.FindCredentialAsync(nodeId, cancellationToken).ConfigureAwait(false);
        if (enrolled is { RevokedMs: null })
        {
            return EnrolmentSecrets.CredentialMatches(enrolled.SecretHash, credential)
                ? null
                : new Status(StatusCode.Unauthenticated, $"Node '{nodeId}' is enrolled and this is not its credential.");
        }

        if (enrolled is not null)
        {
            return new Status(StatusCode.Unauthenticated, $"Node '{nodeId}' had its credential revoked; enrol it again: cctvedge-node enrol --server URL --code CODE.");
        }

        if (options.Value.RequireEnrolment)
        {
            return new Status(StatusCode.Unauthenticated, $"Node '{nodeId}' is not enrolled and this server requires enrolment: create a code (fleet hub or POST /api/enrolment-codes), then run cctvedge-node enrol --server URL --code CODE on the node.");
        }

        var expected = options.Value.NodeCredential;
        return expected.Length > 0 && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential), Encoding.UTF8.GetBytes(expected))
            ? new Status(StatusCode.Unauthenticated, "The node's credential does not match Server:NodeCredential.")
            : null;
    }

    /// <summary>The node id from a clip call's metadata; throws the status a refused node gets.</summary>
    public async Task<string> AuthenticateAsync(ServerCallContext context)
    {
        var nodeId = context.RequestHeaders.GetValue(ClipService.NodeIdHeader) ?? "";
        var credential = context.RequestHeaders.GetValue(ClipService.CredentialHeader) ?? "";
        return await ProblemAsync(nodeId, credential, context.CancellationToken).ConfigureAwait(false) is { } problem ? throw new RpcException(problem) : nodeId;
    }
}
