using CctvEdge.Grpc.AspNetCore;
using CctvEdge.Grpc.Client;

namespace CctvEdge.Grpc.Tests;

/// <summary>Links that drop or die silently.</summary>
public sealed class ConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UnaryCall_ServerRestartedOnSamePort_SameChannelReconnects()
    {
        var server = await TestServer.StartAsync(EchoService.Create());
        using var channel = GrpcChannel.ForAddress(server.Address);
        var invoker = channel.CreateCallInvoker();
        Assert.Equal("before", await invoker.AsyncUnaryCall(EchoService.Unary, null, default, "before").ResponseAsync.WaitAsync(Timeout));
        var port = server.Address.Port;
        await server.DisposeAsync();

        var down = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(EchoService.Unary, null, default, "down").ResponseAsync.WaitAsync(Timeout));
        await using var restarted = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Port = port });

        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.Equal("after", await invoker.AsyncUnaryCall(EchoService.Unary, null, default, "after").ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task UnaryCall_LinkFreezesSilently_ClientKeepaliveFailsCallUnavailable()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(new SleepProbe()));
        await using var proxy = new FreezableProxy(server.Address);
        using var channel = GrpcChannel.ForAddress(proxy.Address, new GrpcChannelOptions
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
        });
        var invoker = channel.CreateCallInvoker();
        Assert.Equal("warm", await invoker.AsyncUnaryCall(EchoService.Unary, null, default, "warm").ResponseAsync.WaitAsync(Timeout));

        var call = invoker.AsyncUnaryCall(EchoService.Unary, null, default, "sleep");
        await Task.Delay(200);
        proxy.Freeze();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_LinkFreezesSilently_ServerKeepaliveFiresHandlerToken()
    {
        var probe = new SleepProbe();
        var http2 = new GrpcHttp2Options { KeepAlivePingDelaySeconds = 1, KeepAlivePingTimeoutSeconds = 1 };
        await using var server = await TestServer.StartAsync(EchoService.Create(probe), new TestServerSetup { Http2 = http2 });
        await using var proxy = new FreezableProxy(server.Address);
        // The client never pings, so only the server can notice the dead link.
        using var channel = GrpcChannel.ForAddress(proxy.Address, new GrpcChannelOptions { KeepAlivePingDelay = System.Threading.Timeout.InfiniteTimeSpan });

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "sleep");
        await probe.Started.Task.WaitAsync(Timeout);
        proxy.Freeze();

        await probe.Cancelled.Task.WaitAsync(Timeout);
    }
}
