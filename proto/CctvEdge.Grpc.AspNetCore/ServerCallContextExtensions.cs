using CctvEdge.Grpc.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;

namespace CctvEdge.Grpc.AspNetCore;

/// <summary>ASP.NET Core access from a handler, as Grpc.AspNetCore.Server offers it.</summary>
public static class ServerCallContextExtensions
{
    /// <summary>The HTTP request behind the call (raw headers, connection, TLS details).</summary>
    public static HttpContext GetHttpContext(this ServerCallContext context) =>
        context is HttpContextServerCallContext http
            ? http.HttpContext
            : throw new InvalidOperationException("The call context does not come from an ASP.NET Core request.");
}
