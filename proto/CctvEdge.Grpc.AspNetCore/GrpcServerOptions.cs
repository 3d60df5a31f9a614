namespace CctvEdge.Grpc.AspNetCore;

/// <summary>Options for every gRPC service the host maps.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted; null for no limit. Default 4 MiB, as in gRPC.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Whether an unhandled handler exception's message is sent to the client (development only).</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Compression for response messages (<c>gzip</c>), used when the client accepts it; null for none. A handler
    /// can choose per call by sending a <c>grpc-internal-encoding-request</c> response header, as in Grpc.AspNetCore.
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }
}
