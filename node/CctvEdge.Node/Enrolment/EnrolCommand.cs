using System.Security.Cryptography.X509Certificates;
using System.Text;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Enrolment;

/// <summary>
/// <c>cctvedge-node enrol --server URL --code CODE [--config FILE] [--Section:Key value ...]</c>: trades a one-time
/// code from the fleet hub for this node's credential and saves both the server's address and the credential in
/// the data directory (<see cref="EnrolmentFile"/>), so the agent started afterwards with the same config connects
/// as an enrolled node. The node id is the config's <c>Node:Id</c>, or one made from the host name when it has none.
/// Exit 0 when enrolled, 1 when the server refused or could not be reached, 2 for bad arguments.
/// </summary>
internal static class EnrolCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (server, rest) = CommandLine.TakeOption(args, "--server");
        (var code, rest) = CommandLine.TakeOption(rest, "--code");
        (var configFile, rest) = CommandLine.TakeOption(rest, "--config");
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(code))
        {
            await error.WriteLineAsync("usage: cctvedge-node enrol --server URL --code CODE [--config FILE] [--Node:Id ID]");
            return 2;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"cctvedge-node enrol: --server must be the server's gRPC address, http://HOST:PORT or https://HOST:PORT (was '{server}').");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = rest, ContentRootPath = AppContext.BaseDirectory });
        try
        {
            builder.AddNodeConfigurationFile(configFile);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("cctvedge-node enrol: " + string.Join(" ", ex.Failures));
            return 2;
        }

        var configuration = builder.Configuration;
        var configuredId = configuration["Node:Id"];
        var nodeId = string.IsNullOrWhiteSpace(configuredId) ? FromHostName(Environment.MachineName) : configuredId;
        if (!Identifier.IsValid(nodeId))
        {
            await error.WriteLineAsync($"cctvedge-node enrol: node id '{nodeId}' is invalid ({Identifier.Rule}); set Node:Id in the config or pass --Node:Id ID.");
            return 2;
        }

        var dataDirectory = EnrolmentFile.DataDirectoryOf(configuration);
        var caFile = configuration["Server:CaCertificate"];
        using var ca = string.IsNullOrEmpty(caFile) ? null : X509CertificateLoader.LoadCertificateFromFile(caFile);
        using var channel = UplinkChannel.Create(server, ca);
        EnrolReply reply;
        try
        {
            reply = await new NodeService.NodeServiceClient(channel).EnrolAsync(
                new EnrolRequest
                {
                    Code = code,
                    NodeId = nodeId,
                    NodeName = configuration["Node:Name"] ?? "",
                    Hostname = Environment.MachineName,
                    AgentVersion = NodeStatusCollector.AgentVersion,
                },
                deadline: DateTime.UtcNow + Deadline);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Unimplemented)
        {
            await error.WriteLineAsync($"cctvedge-node enrol: could not enrol with {server}: {ex.Status.Detail}");
            return 1;
        }
        catch (RpcException ex)
        {
            await error.WriteLineAsync($"cctvedge-node enrol: the server refused: {ex.Status.Detail}");
            return 1;
        }

        // The id is written down only when the enrolment chose it; one from the config file stays the file's to change.
        EnrolmentFile.Write(dataDirectory, string.IsNullOrWhiteSpace(configuredId) ? reply.NodeId : null, server, reply.Credential);
        await output.WriteLineAsync($"Enrolled node '{reply.NodeId}' with {server}; its credential is saved in {EnrolmentFile.PathIn(dataDirectory)} (readable by this user only).");
        return 0;
    }

    /// <summary>A node id from a host name: lower case, other characters as '-', at most 63 characters.</summary>
    internal static string FromHostName(string hostName)
    {
        var id = new StringBuilder();
        foreach (var c in hostName.ToLowerInvariant())
        {
            id.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '-');
        }

        var trimmed = id.ToString().TrimStart('-', '_');
        return trimmed.Length > 63 ? trimmed[..63] : trimmed;
    }
}
