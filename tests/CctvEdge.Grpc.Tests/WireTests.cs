using System.Net;
using System.Net.Http.Headers;

namespace CctvEdge.Grpc.Tests;

/// <summary>Raw HTTP/2 requests that a broken or hostile peer might send.</summary>
public sealed class WireTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Post_TruncatedMessageFrame_InternalStatusAndServerStaysUp()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        // The header announces 100 bytes, only 3 follow before END_STREAM.
        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0, 0, 0, 100, 1, 2, 3]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture), await ReadStatusAsync(response));
        Assert.Equal("ok", await server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "ok").ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Post_LengthBeyondMaximum_ResourceExhaustedWithoutReadingPayload()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0x7F, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture), await ReadStatusAsync(response));
    }

    [Fact]
    public async Task Post_NotGrpcContentType_Http415()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0, 0, 0, 0], "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri address, string path, byte[] body, string contentType = "application/grpc")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.ParseAdd("trailers");
        return await client.SendAsync(request);
    }

    private static async Task<string?> ReadStatusAsync(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("grpc-status", out var inHeaders))
        {
            return inHeaders.First();
        }

        await response.Content.ReadAsByteArrayAsync();
        return response.TrailingHeaders.TryGetValues("grpc-status", out var inTrailers) ? inTrailers.First() : null;
    }
}
