using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CctvEdge.Server.Hosting;

/// <summary>
/// The two listeners. Kestrel writes the bound endpoint back into the listen options, so with port 0 the real
/// ports are known once the server has started.
/// </summary>
internal sealed class ServerEndpoints
{
    public ListenOptions? Grpc { get; set; }

    public ListenOptions? Web { get; set; }

    /// <summary>Whether the gRPC port speaks TLS (Server:Tls:Enabled).</summary>
    public bool GrpcTls { get; set; }

    /// <summary>Whether the web port speaks HTTPS (Server:WebTls:Enabled).</summary>
    public bool WebTls { get; set; }

    public string GrpcAddress => Address(Grpc, GrpcTls);

    public string WebAddress => Address(Web, WebTls);

    private static string Address(ListenOptions? listen, bool tls) =>
        listen?.IPEndPoint is { } endpoint
            ? $"{(tls ? "https" : "http")}://{(endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString())}:{endpoint.Port}"
            : "";
}
