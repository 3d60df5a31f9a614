using System.Globalization;
using CctvEdge.Grpc.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Grpc.AspNetCore.Internal;

/// <summary>The server call context over an ASP.NET Core request.</summary>
internal sealed class HttpContextServerCallContext(HttpContext http, string method, GrpcServerOptions options, ILogger logger) : ServerCallContext
{
    private bool _responseHeadersPrepared;
    private CancellationTokenSource? _deadlineCts;
    private CancellationToken _token;
    private DateTime _deadline = DateTime.MaxValue;
    private Metadata? _requestHeaders;
    private Dictionary<object, object>? _userState;

    public HttpContext HttpContext => http;

    public bool ResponseMessageWritten { get; set; }

    public bool CallEnded { get; private set; }

    public bool DeadlineExceeded => _deadlineCts?.IsCancellationRequested == true && !http.RequestAborted.IsCancellationRequested;

    public bool ClientAborted => http.RequestAborted.IsCancellationRequested;

    /// <summary>The request's <c>grpc-encoding</c>; null when absent.</summary>
    public string? RequestEncoding => http.Request.Headers[GrpcProtocol.EncodingHeader].FirstOrDefault();

    /// <summary>The compression chosen for response messages; null for none. Fixed once headers are prepared.</summary>
    public string? ResponseEncoding { get; private set; }

    public override string Method => method;

    public override string Host => http.Request.Host.Value ?? string.Empty;

    public override string Peer
    {
        get
        {
            var ip = http.Connection.RemoteIpAddress;
            if (ip is null)
            {
                return "unknown";
            }

            return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"ipv6:[{ip}]:{http.Connection.RemotePort}"
                : $"ipv4:{ip}:{http.Connection.RemotePort}";
        }
    }

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    public override CancellationToken CancellationToken => _token;

    public override Metadata ResponseTrailers { get; } = new();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override IDictionary<object, object> UserState => _userState ??= [];

    public void Initialize()
    {
        http.Response.ContentType = GrpcProtocol.ContentType;
        _token = http.RequestAborted;
        var timeoutHeader = http.Request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (string.IsNullOrEmpty(timeoutHeader))
        {
            return;
        }

        if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout))
        {
            Log.InvalidTimeout(logger, timeoutHeader);
            return;
        }

        _deadline = timeout >= DateTime.MaxValue - DateTime.UtcNow ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        if (timeout < TimeSpan.FromDays(24))
        {
            _deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            _deadlineCts.CancelAfter(timeout);
            _token = _deadlineCts.Token;
        }
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (http.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }

        PrepareResponseHeaders(responseHeaders);
        AppendMetadata(http.Response.Headers, responseHeaders);
        await http.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Settles the response encoding and its headers once, before the first header or message leaves: a
    /// <c>grpc-internal-encoding-request</c> in <paramref name="responseHeaders"/> wins over the server option, and
    /// only an encoding the client listed in <c>grpc-accept-encoding</c> is used.
    /// </summary>
    public void PrepareResponseHeaders(Metadata? responseHeaders)
    {
        if (_responseHeadersPrepared)
        {
            return;
        }

        _responseHeadersPrepared = true;
        var headers = http.Response.Headers;
        headers[GrpcProtocol.AcceptEncodingHeader] = MessageCompression.AcceptEncoding;
        var wanted = responseHeaders?.GetValue(GrpcProtocol.InternalEncodingRequestHeader) ?? options.ResponseCompressionAlgorithm;
        if (MessageCompression.IsCompressing(wanted)
            && MessageCompression.IsSupported(wanted)
            && MessageCompression.Accepts(http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), wanted!))
        {
            ResponseEncoding = wanted;
            headers[GrpcProtocol.EncodingHeader] = wanted;
        }
    }

    /// <summary>The encoding of one response message written with <paramref name="writeOptions"/>.</summary>
    public string? CompressionFor(WriteOptions? writeOptions) =>
        WriteOptions.AllowsCompression(writeOptions ?? WriteOptions) ? ResponseEncoding : null;

    /// <summary>Sends the status: in the headers when nothing was sent yet (trailers-only), else in trailers.</summary>
    public async Task EndCallAsync(Status status)
    {
        CallEnded = true;
        try
        {
            if (ClientAborted)
            {
                return;
            }

            var code = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
            var message = string.IsNullOrEmpty(status.Detail) ? null : PercentEncoding.Encode(status.Detail);
            if (!ResponseMessageWritten && !http.Response.HasStarted)
            {
                var headers = http.Response.Headers;
                http.Response.ContentType = GrpcProtocol.ContentType;
                headers[GrpcProtocol.StatusHeader] = code;
                headers[GrpcProtocol.AcceptEncodingHeader] = MessageCompression.AcceptEncoding;
                if (message is not null)
                {
                    headers[GrpcProtocol.MessageHeader] = message;
                }

                AppendMetadata(headers, ResponseTrailers);
                return;
            }

            http.Response.AppendTrailer(GrpcProtocol.StatusHeader, code);
            if (message is not null)
            {
                http.Response.AppendTrailer(GrpcProtocol.MessageHeader, message);
            }

            foreach (var entry in ResponseTrailers)
            {
                if (!GrpcProtocol.IsReservedHeader(entry.Key))
                {
                    http.Response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
                }
            }

            await http.Response.BodyWriter.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _deadlineCts?.Dispose();
        }
    }

    private static void AppendMetadata(IHeaderDictionary headers, Metadata metadata)
    {
        foreach (var entry in metadata)
        {
            if (!GrpcProtocol.IsReservedHeader(entry.Key))
            {
                headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var (name, values) in http.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                MetadataHeaders.TryAdd(metadata, name, value ?? string.Empty);
            }
        }

        return metadata;
    }
}
