namespace CctvEdge.Grpc.Internal;

/// <summary>Names and numbers from "gRPC over HTTP/2" (grpc/doc/PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Metadata key (Grpc.Net.Client's and Grpc.AspNetCore's) that picks a call's compression; never sent.</summary>
    public const string InternalEncodingRequestHeader = "grpc-internal-encoding-request";
    public const string UserAgent = "grpc-dotnet-cctvedge/0.1";
    public const int MessageHeaderSize = 5;
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary><c>application/grpc</c>, optionally followed by <c>+proto</c>, <c>+json</c> or parameters.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>Headers the transport owns; they never surface as, or come from, user metadata.</summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("user-agent", StringComparison.OrdinalIgnoreCase)
        || name.Equals("date", StringComparison.OrdinalIgnoreCase)
        || name.Equals("server", StringComparison.OrdinalIgnoreCase);

    /// <summary>The status a client reports for a non-200 HTTP response (grpc/doc/http-grpc-status-mapping.md).</summary>
    public static StatusCode StatusFromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>Reads a <c>grpc-status</c> value; anything unparsable is UNKNOWN.</summary>
    public static StatusCode ParseStatusCode(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? (StatusCode)code
            : StatusCode.Unknown;
}
