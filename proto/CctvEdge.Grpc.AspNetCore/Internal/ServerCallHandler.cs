using CctvEdge.Grpc.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Grpc.AspNetCore.Internal;

/// <summary>
/// Runs one method's calls: checks the request is gRPC over HTTP/2, reads the request message or hands over a
/// reader, runs the user handler, writes the response, and always ends with a status.
/// </summary>
internal sealed class ServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    Func<TRequest?, IAsyncStreamReader<TRequest>?, IServerStreamWriter<TResponse>, ServerCallContext, Task<(bool HasResponse, TResponse? Response)>> invoke)
{
    private GrpcServerOptions _options = new();
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private int MaxReceive => _options.MaxReceiveMessageSize ?? int.MaxValue;

    private int MaxSend => _options.MaxSendMessageSize ?? int.MaxValue;

    public void Initialize(GrpcServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    public async Task HandleCallAsync(HttpContext http)
    {
        if (!ServerCallValidation.TryAccept(http))
        {
            return;
        }

        var context = new HttpContextServerCallContext(http, method.FullName, _options, _logger);
        context.Initialize();
        Status status;
        try
        {
            if (!MessageCompression.IsSupported(context.RequestEncoding))
            {
                // The spec's answer; the grpc-accept-encoding header sent with every status tells the client what works.
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{context.RequestEncoding}'. Supported encodings: {MessageCompression.AcceptEncoding}"));
            }

            await RunAsync(http, context).ConfigureAwait(false);
            status = context.DeadlineExceeded ? ServerCallValidation.DeadlineStatus : context.Status;
        }
        catch (Exception ex)
        {
            status = StatusFromException(context, ex);
        }

        await context.EndCallAsync(status).ConfigureAwait(false);
    }

    private async Task RunAsync(HttpContext http, HttpContextServerCallContext context)
    {
        var reader = http.Request.BodyReader;
        var deserializer = method.RequestMarshaller.ContextualDeserializer;
        var writer = new HttpContextStreamWriter<TResponse>(context, method.ResponseMarshaller.ContextualSerializer, MaxSend);
        TRequest? request = default;
        HttpContextStreamReader<TRequest>? requestStream = null;
        if (method.Type is MethodType.Unary or MethodType.ServerStreaming)
        {
            var (hasRequest, message) = await MessageFraming.ReadMessageAsync(reader, deserializer, MaxReceive, context.RequestEncoding, context.CancellationToken).ConfigureAwait(false);
            if (!hasRequest)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the request has no message."));
            }

            var (hasMore, _) = await MessageFraming.ReadMessageAsync(reader, deserializer, MaxReceive, context.RequestEncoding, context.CancellationToken).ConfigureAwait(false);
            if (hasMore)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
            }

            request = message;
        }
        else
        {
            requestStream = new HttpContextStreamReader<TRequest>(reader, deserializer, MaxReceive, context.RequestEncoding, context.CancellationToken);
        }

        var (hasResponse, response) = await invoke(request, requestStream, writer, context).ConfigureAwait(false);
        if (hasResponse)
        {
            if (response is null)
            {
                throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
            }

            // A single response needs no flush: the trailers that follow push it out in the same write.
            writer.Write(response);
        }
    }

    private Status StatusFromException(HttpContextServerCallContext context, Exception ex)
    {
        switch (ex)
        {
            case RpcException rpc:
                foreach (var entry in rpc.Trailers)
                {
                    context.ResponseTrailers.Add(entry);
                }

                return rpc.Status;
            case OperationCanceledException or IOException when context.DeadlineExceeded:
                return ServerCallValidation.DeadlineStatus;
            case OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException when context.ClientAborted:
                return new Status(StatusCode.Cancelled, "The client cancelled the call.");
            default:
                Log.HandlerFailed(_logger, method.FullName, ex);
                var detail = _options.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
                    : "Exception was thrown by handler.";
                return new Status(StatusCode.Unknown, detail, ex);
        }
    }
}

/// <summary>Checks done before a call starts, shared by real and unimplemented methods.</summary>
internal static class ServerCallValidation
{
    public static readonly Status DeadlineStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    /// <summary>Refuses non-gRPC requests with the HTTP status and gRPC status the spec names.</summary>
    public static bool TryAccept(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            Refuse(http, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{http.Request.ContentType}' is not supported.");
            return false;
        }

        if (!HttpProtocol.IsHttp2(http.Request.Protocol) && !HttpProtocol.IsHttp3(http.Request.Protocol))
        {
            Refuse(http, StatusCodes.Status426UpgradeRequired, $"Request protocol '{http.Request.Protocol}' is not supported.");
            return false;
        }

        // Long streams and large uploads are normal for gRPC: lift Kestrel's body size cap and minimum data rate.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }

        if (http.Features.Get<IHttpMinResponseDataRateFeature>() is { } minResponseRate)
        {
            minResponseRate.MinDataRate = null;
        }

        return true;
    }

    private static void Refuse(HttpContext http, int httpStatus, string message)
    {
        http.Response.StatusCode = httpStatus;
        http.Response.ContentType = "text/plain";
        http.Response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(message);
    }
}

/// <summary>Answers gRPC requests for methods nobody mapped.</summary>
internal static class UnimplementedCallHandler
{
    public static Task HandleAsync(HttpContext http)
    {
        if (!ServerCallValidation.TryAccept(http))
        {
            return Task.CompletedTask;
        }

        var context = new HttpContextServerCallContext(http, http.Request.Path, new GrpcServerOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var service = http.Request.RouteValues["unimplementedService"];
        return context.EndCallAsync(new Status(StatusCode.Unimplemented, $"Method is unimplemented: {http.Request.Path} (service '{service}')."));
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Error when executing service method '{Method}'.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Invalid grpc-timeout header '{Value}'; the call runs without a deadline.")]
    public static partial void InvalidTimeout(ILogger logger, string value);
}
