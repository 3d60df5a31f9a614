using System.Security.Cryptography;
using System.Text;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Sessions;

/// <summary>Checks a node's identity: a valid id and, when the server has one, the matching credential.</summary>
internal sealed class NodeAuthenticator(IOptions<ServerOptions> options)
{
    /// <summary>Why <paramref name="nodeId"/> with <paramref name="credential"/> is refused, or null when it is accepted.</summary>
    public Status? Problem(string nodeId, string credential)
    {
        if (!Identifier.IsValid(nodeId))
        {
            return new Status(StatusCode.InvalidArgument, $"Node id '{nodeId}' is invalid: {Identifier.Rule}.");
        }

        var expected = options.Value.NodeCredential;
        return expected.Length > 0 && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential), Encoding.UTF8.GetBytes(expected))
            ? new Status(StatusCode.Unauthenticated, "The node's credential does not match Server:NodeCredential.")
            : null;
    }

    /// <summary>The node id from a clip call's metadata; throws the status a refused node gets.</summary>
    public string Authenticate(ServerCallContext context)
    {
        var nodeId = context.RequestHeaders.GetValue(ClipService.NodeIdHeader) ?? "";
        var credential = context.RequestHeaders.GetValue(ClipService.CredentialHeader) ?? "";
        return Problem(nodeId, credential) is { } problem ? throw new RpcException(problem) : nodeId;
    }
}
