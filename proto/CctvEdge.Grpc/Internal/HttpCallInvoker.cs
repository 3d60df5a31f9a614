using CctvEdge.Grpc.Client;

namespace CctvEdge.Grpc.Internal;

/// <summary>Starts each call kind as one HTTP/2 request on the channel.</summary>
internal sealed class HttpCallInvoker(GrpcChannel channel) : CallInvoker
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new GrpcCall<TRequest, TResponse>(method, channel, options);
        call.StartWithMessage(request);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new GrpcCall<TRequest, TResponse>(method, channel, options);
        call.StartWithMessage(request);
        return new AsyncServerStreamingCall<TResponse>(new HttpResponseStreamReader<TRequest, TResponse>(call), call);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(method, channel, options);
        var content = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(new HttpClientStreamWriter<TRequest, TResponse>(call, content), call.ReadSingleResponseAsync(), call);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(method, channel, options);
        var content = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new HttpClientStreamWriter<TRequest, TResponse>(call, content),
            new HttpResponseStreamReader<TRequest, TResponse>(call),
            call);
    }
}
