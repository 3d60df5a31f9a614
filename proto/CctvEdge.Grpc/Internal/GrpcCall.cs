using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using CctvEdge.Grpc.Client;

namespace CctvEdge.Grpc.Internal;

/// <summary>
/// One client call as one HTTP/2 request. It owns the call's fate: the first status set (from trailers, a
/// trailers-only response, a transport error, a cancellation or the deadline) wins, and every reader and writer
/// afterwards sees that status.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : ICallState
    where TRequest : class
    where TResponse : class
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly Version Http2 = HttpVersion.Version20;

    private readonly Method<TRequest, TResponse> _method;
    private readonly GrpcChannel _channel;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Status> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _userCancellation;
    private Timer? _deadlineTimer;
    private Task<HttpResponseMessage?> _responseTask = Task.FromResult<HttpResponseMessage?>(null);
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private PushStreamContent? _requestContent;
    private Metadata _trailers = Metadata.Empty;
    private string? _responseEncoding;

    public GrpcCall(Method<TRequest, TResponse> method, GrpcChannel channel, CallOptions options)
    {
        _method = method;
        _channel = channel;
        _options = options;
        RequestEncoding = options.Headers?.GetValue(GrpcProtocol.InternalEncodingRequestHeader);
        // Observed here so a failed call never raises unobserved-task events.
        _headers.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    public Task<Status> Completion => _completion.Task;

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public Method<TRequest, TResponse> Method => _method;

    public int MaxSendMessageSize => _channel.MaxSendMessageSize;

    public CancellationToken CallToken => _cts.Token;

    /// <summary>The request compression asked for in the call's headers; null for none.</summary>
    public string? RequestEncoding { get; }

    /// <summary>The encoding of one request message written with <paramref name="writeOptions"/>.</summary>
    public string? CompressionFor(WriteOptions? writeOptions) =>
        WriteOptions.AllowsCompression(writeOptions ?? _options.WriteOptions) ? RequestEncoding : null;

    /// <summary>Starts a call whose request is a single message (unary, server streaming).</summary>
    public void StartWithMessage(TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CheckRequestEncoding())
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            MessageFraming.WriteMessage(buffer, request, _method.RequestMarshaller.ContextualSerializer, _channel.MaxSendMessageSize, CompressionFor(null));
        }
        catch (RpcException ex)
        {
            Finish(ex.Status, Metadata.Empty);
            return;
        }
        catch (Exception ex)
        {
            Finish(new Status(StatusCode.Internal, "Error serializing request message: " + ex.Message, ex), Metadata.Empty);
            return;
        }

        Start(new ReadOnlyMemoryContent(buffer.WrittenMemory));
    }

    /// <summary>Starts a call whose requests are written over time (client and duplex streaming).</summary>
    public PushStreamContent StartStreaming()
    {
        _requestContent = new PushStreamContent();
        if (CheckRequestEncoding())
        {
            Start(_requestContent);
        }

        return _requestContent;
    }

    private bool CheckRequestEncoding()
    {
        if (MessageCompression.IsSupported(RequestEncoding))
        {
            return true;
        }

        Finish(new Status(StatusCode.Internal, $"Could not find a compression provider for '{RequestEncoding}'; supported: {MessageCompression.AcceptEncoding}."), Metadata.Empty);
        return false;
    }

    private void Start(HttpContent content)
    {
        content.Headers.ContentType = GrpcContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName))
        {
            // Both must be set per message: HttpMessageInvoker has no defaults to fall back on.
            Version = Http2,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, MessageCompression.AcceptEncoding);
        if (MessageCompression.IsCompressing(RequestEncoding))
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, RequestEncoding);
        }

        MetadataHeaders.AddTo(request.Headers, _options.Headers);

        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), Metadata.Empty);
                return;
            }

            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Encode(remaining));
            if (remaining < TimeSpan.FromDays(24))
            {
                _deadlineTimer = new Timer(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")), this, remaining, Timeout.InfiniteTimeSpan);
            }
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _userCancellation = _options.CancellationToken.Register(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(new Status(StatusCode.Cancelled, "Call canceled by the client.")), this);
        }

        _responseTask = SendAsync(request);
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.HttpInvoker.SendAsync(request, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(StatusFromException("Error starting gRPC call.", ex), Metadata.Empty);
            return null;
        }

        _response = response;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)response.StatusCode;
            Fail(new Status(GrpcProtocol.StatusFromHttpStatus(code), $"Bad gRPC response. HTTP status code: {code}"));
            return null;
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        var metadata = MetadataHeaders.FromHeaders(response.Headers);
        if (response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out _))
        {
            // Trailers-only: the status arrived in the headers and there is no body.
            _headers.TrySetResult(metadata);
            Finish(ReadStatus(response.Headers), metadata);
            return null;
        }

        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Fail(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"));
            return null;
        }

        _responseEncoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings) ? encodings.FirstOrDefault() : null;
        if (!MessageCompression.IsSupported(_responseEncoding))
        {
            Fail(new Status(StatusCode.Internal, $"The server answered with unsupported grpc-encoding '{_responseEncoding}'."));
            return null;
        }

        _headers.TrySetResult(metadata);
        return response;
    }

    /// <summary>Reads the next response; false at the end of a successful call, RpcException otherwise.</summary>
    public async Task<(bool HasMessage, TResponse? Message)> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var response = await _responseTask.ConfigureAwait(false);
        if (response is null || _completion.Task.IsCompleted)
        {
            return (false, ThrowIfFailed());
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(new Status(StatusCode.Cancelled, "Call canceled by the client.")), this)
            : default;
        try
        {
            _reader ??= PipeReader.Create(await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false));
            var (hasMessage, message) = await MessageFraming.ReadMessageAsync(
                _reader, _method.ResponseMarshaller.ContextualDeserializer, _channel.MaxReceiveMessageSize, _responseEncoding, _cts.Token).ConfigureAwait(false);
            if (hasMessage)
            {
                return (true, message);
            }

            // TrailingHeaders is filled only once the body has reached its end, which it just did.
            Finish(ReadStatus(response.TrailingHeaders), MetadataHeaders.FromHeaders(response.TrailingHeaders));
        }
        catch (RpcException ex)
        {
            Fail(ex.Status);
        }
        catch (Exception ex)
        {
            Finish(StatusFromException("Error reading next message.", ex), Metadata.Empty);
        }

        return (false, ThrowIfFailed());
    }

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var (hasMessage, message) = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (!hasMessage)
        {
            Fail(new Status(StatusCode.Internal, "Failed to deserialize response message: the call ended without one."));
            ThrowIfFailed();
        }

        var (hasMore, _) = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (hasMore)
        {
            Fail(new Status(StatusCode.Internal, "Received more than one response message for a call with a single response."));
            ThrowIfFailed();
        }

        return message!;
    }

    /// <summary>Ends the call with <paramref name="status"/> and resets the HTTP/2 stream.</summary>
    public void Cancel(Status status)
    {
        Finish(status, Metadata.Empty);
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public Status GetStatus() =>
        _completion.Task.IsCompletedSuccessfully
            ? _completion.Task.Result
            : throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() =>
        _completion.Task.IsCompletedSuccessfully
            ? _trailers
            : throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public void Dispose()
    {
        Cancel(new Status(StatusCode.Cancelled, "gRPC call disposed."));
        _response?.Dispose();
    }

    private TResponse? ThrowIfFailed()
    {
        var status = _completion.Task.Result;
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, _trailers);
        }

        return null;
    }

    /// <summary>A failure noticed by us, not the server: end the call and reset the stream.</summary>
    private void Fail(Status status) => Cancel(status);

    private void Finish(Status status, Metadata trailers)
    {
        lock (_completion)
        {
            if (_completion.Task.IsCompleted)
            {
                return;
            }

            _trailers = trailers.Freeze();
            _completion.TrySetResult(status);
        }

        _headers.TrySetException(new RpcException(status));
        _deadlineTimer?.Dispose();
        _userCancellation.Dispose();
        _requestContent?.Abort(new RpcException(status));
    }

    private static Status ReadStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return new Status(StatusCode.Internal, "No grpc-status found on response.");
        }

        var code = GrpcProtocol.ParseStatusCode(statusValues.FirstOrDefault());
        var detail = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.FirstOrDefault() ?? string.Empty)
            : string.Empty;
        return new Status(code, detail);
    }

    private static Status StatusFromException(string context, Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                // RST_STREAM codes as the gRPC spec maps them.
                var code = protocol.ErrorCode switch
                {
                    0x7 => StatusCode.Unavailable, // REFUSED_STREAM
                    0x8 => StatusCode.Cancelled, // CANCEL
                    0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                    0xC => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
                    // Before any response (HttpRequestException): the connection failed under the call, e.g. a
                    // keepalive PING went unanswered; like C-core, report the transport as unavailable.
                    _ when ex is HttpRequestException => StatusCode.Unavailable,
                    _ => StatusCode.Internal,
                };
                return new Status(code, $"{context} HTTP/2 error code {protocol.ErrorCode}: {protocol.Message}", ex);
            }
        }

        var unavailable = ex is HttpRequestException or IOException or System.Net.Sockets.SocketException;
        return new Status(unavailable ? StatusCode.Unavailable : StatusCode.Internal, $"{context} {ex.GetType().Name}: {ex.Message}", ex);
    }
}
