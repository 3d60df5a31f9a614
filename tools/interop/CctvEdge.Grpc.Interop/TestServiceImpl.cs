using Google.Protobuf;
using Grpc.Testing;

namespace CctvEdge.Grpc.Interop;

/// <summary>The interop TestService as grpc/doc/interop-test-descriptions.md describes the server.</summary>
internal sealed class TestServiceImpl : TestService.TestServiceBase
{
    private const string EchoInitial = "x-grpc-test-echo-initial";
    private const string EchoTrailing = "x-grpc-test-echo-trailing-bin";
    private static readonly WriteOptions NoCompress = new(WriteFlags.NoCompress);

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        EnsureCompressedIfExpected(request.ExpectCompressed, context);
        var headers = EchoMetadata(context);
        if (request.ResponseCompressed?.Value == true)
        {
            headers.Add("grpc-internal-encoding-request", "gzip");
        }

        await context.WriteResponseHeadersAsync(headers);
        FailIfAsked(request.ResponseStatus);
        return new SimpleResponse { Payload = Payload(request.ResponseSize) };
    }

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "grpc-internal-encoding-request", "gzip" } });
        foreach (var parameters in request.ResponseParameters)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
            responseStream.WriteOptions = parameters.Compressed?.Value == true ? null : NoCompress;
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Payload(parameters.Size) });
        }

        FailIfAsked(request.ResponseStatus);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        var total = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            EnsureCompressedIfExpected(request.ExpectCompressed, context);
            total += request.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(EchoMetadata(context));
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            FailIfAsked(request.ResponseStatus);
            foreach (var parameters in request.ResponseParameters)
            {
                await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Payload(parameters.Size) });
            }
        }
    }

    public override async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        var requests = new List<StreamingOutputCallRequest>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            requests.Add(request);
        }

        foreach (var parameters in requests.SelectMany(r => r.ResponseParameters))
        {
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Payload(parameters.Size) });
        }
    }

    private static Payload Payload(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    /// <summary>Sends the echo-initial header now and queues the echo-trailing trailer.</summary>
    private static Metadata EchoMetadata(ServerCallContext context)
    {
        var headers = new Metadata();
        if (context.RequestHeaders.GetValue(EchoInitial) is { } initial)
        {
            headers.Add(EchoInitial, initial);
        }

        if (context.RequestHeaders.GetValueBytes(EchoTrailing) is { } trailing)
        {
            context.ResponseTrailers.Add(EchoTrailing, trailing);
        }

        return headers;
    }

    private static void FailIfAsked(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    /// <summary>
    /// The compressed cases' probe: a message that claims compression must have come compressed. The call's
    /// grpc-encoding tells; the clients send their probe on a call without one.
    /// </summary>
    private static void EnsureCompressedIfExpected(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value == true && context.GetHttpContext().Request.Headers["grpc-encoding"] != "gzip")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Expected a compressed request."));
        }
    }
}
