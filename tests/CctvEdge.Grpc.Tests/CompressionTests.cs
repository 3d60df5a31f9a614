using System.Net.Http.Headers;
using Grpc.Net.Client;

namespace CctvEdge.Grpc.Tests;

public sealed class CompressionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly Metadata GzipRequests = new() { { "grpc-internal-encoding-request", "gzip" } };

    [Fact]
    public async Task UnaryCall_ClientAsksForGzip_SendsGzipEncodingAndServerReadsIt()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        var recorder = new HeaderRecorder();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = recorder, DisposeHttpClient = true });
        var text = new string('a', 50_000);

        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, new CallOptions(GzipRequests), text).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(text, reply);
        Assert.Equal("gzip", recorder.RequestEncoding);
        Assert.Null(recorder.ResponseEncoding);
    }

    [Fact]
    public async Task UnaryCall_ServerCompressesResponses_ClientSeesGzipAndDecodes()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), o => o.ResponseCompressionAlgorithm = "gzip");
        var recorder = new HeaderRecorder();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = recorder, DisposeHttpClient = true });
        var text = new string('b', 50_000);

        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, text).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(text, reply);
        Assert.Equal("gzip", recorder.ResponseEncoding);
        Assert.Null(recorder.RequestEncoding);
    }

    [Fact]
    public async Task ClientStreamingCall_MixOfCompressedAndNoCompressWrites_ServerSeesAll()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), o => o.ResponseCompressionAlgorithm = "gzip");
        using var call = server.Channel.CreateCallInvoker().AsyncClientStreamingCall(EchoService.Collect, null, new CallOptions(GzipRequests));

        await call.RequestStream.WriteAsync("zipped").WaitAsync(Timeout);
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await call.RequestStream.WriteAsync("plain").WaitAsync(Timeout);
        await call.RequestStream.CompleteAsync();

        Assert.Equal("zipped+plain", await call.ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task UnaryCall_UnknownRequestEncoding_InternalWithoutSending()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        var headers = new Metadata { { "grpc-internal-encoding-request", "lz4" } };

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, new CallOptions(headers), "x").ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("lz4", ex.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Sees the headers the transport keeps to itself (grpc-encoding), on the real connection.</summary>
    private sealed class HeaderRecorder() : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        public string? RequestEncoding { get; private set; }

        public string? ResponseEncoding { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            RequestEncoding = Find(request.Headers);
            var response = await base.SendAsync(request, cancellationToken);
            ResponseEncoding = Find(response.Headers);
            return response;
        }

        private static string? Find(HttpHeaders headers) =>
            headers.TryGetValues("grpc-encoding", out var values) ? values.Single() : null;
    }
}
