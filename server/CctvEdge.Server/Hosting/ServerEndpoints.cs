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

    public string GrpcAddress => Address(Grpc);

    public string WebAddress => Address(Web);

    private static string Address(ListenOptions? listen) =>
        listen?.IPEndPoint is { } endpoint
            ? $"http://{(endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString())}:{endpoint.Port}"
            : "";
}
