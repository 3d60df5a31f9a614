using System.Net;
using static CctvEdge.Grpc.Tests.RawGrpc;

namespace CctvEdge.Grpc.Tests;

/// <summary>Raw HTTP/2 requests that a broken or hostile peer might send.</summary>
public sealed class WireTests
{
    [Fact]
    public async Task Post_TruncatedMessageFrame_InternalStatusAndServerStaysUp()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        // The header announces 100 bytes, only 3 follow before END_STREAM.
        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0, 0, 0, 100, 1, 2, 3]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StatusCode.Internal, await ReadStatusAsync(response));
        Assert.Equal("ok", await server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "ok").ResponseAsync.WaitAsync(RawGrpc.Timeout));
    }

    [Fact]
    public async Task Post_LengthBeyondMaximum_ResourceExhaustedWithoutReadingPayload()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0x7F, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(StatusCode.ResourceExhausted, await ReadStatusAsync(response));
    }

    [Fact]
    public async Task Post_NotGrpcContentType_Http415()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, [0, 0, 0, 0, 0], "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_CompressedFlagWithoutEncoding_Internal()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, Frame(Gzip("x"u8), compressed: true));

        Assert.Equal(StatusCode.Internal, await ReadStatusAsync(response));
    }

    [Fact]
    public async Task Post_UnsupportedEncoding_UnimplementedAndAdvertisesSupported()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, Frame("x"u8, compressed: true), encoding: "snappy");

        Assert.Equal(StatusCode.Unimplemented, await ReadStatusAsync(response));
        Assert.Contains("gzip", response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_GzipInflatingBeyondMaximum_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), o => o.MaxReceiveMessageSize = 64 * 1024);
        using var client = CreateClient();
        // 16 MiB of zeros gzip to about 16 KiB: small on the wire, far over the limit once inflated.
        var bomb = Gzip(new byte[16 * 1024 * 1024]);

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, Frame(bomb, compressed: true), encoding: "gzip");

        Assert.True(bomb.Length < 64 * 1024);
        Assert.Equal(StatusCode.ResourceExhausted, await ReadStatusAsync(response));
    }

    [Fact]
    public async Task Post_GzipGarbage_ErrorStatusAndServerStaysUp()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, Frame([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], compressed: true), encoding: "gzip");

        // Grpc.AspNetCore answers UNKNOWN where gRPC's spec suggests INTERNAL; either way the call fails and nothing else does.
        Assert.Contains(await ReadStatusAsync(response), new StatusCode?[] { StatusCode.Internal, StatusCode.Unknown });
        Assert.Equal("alive", await server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "alive").ResponseAsync.WaitAsync(RawGrpc.Timeout));
    }

    [Fact]
    public async Task Post_GzipMessage_Echoed()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var client = CreateClient();

        using var response = await SendAsync(client, server.Address, EchoService.Unary.FullName, Frame(Gzip("squeezed"u8), compressed: true), encoding: "gzip");
        var body = await response.Content.ReadAsByteArrayAsync().WaitAsync(RawGrpc.Timeout);

        Assert.Equal(StatusCode.OK, await ReadStatusAsync(response));
        Assert.Equal(Frame("squeezed"u8), body);
    }
}
