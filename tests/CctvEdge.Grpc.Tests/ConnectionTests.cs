using CctvEdge.Node.Uplink;
using CctvEdge.Server.Hosting.Grpc;

namespace CctvEdge.Grpc.Tests;

/// <summary>Links that drop or die silently.</summary>
public sealed class ConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UnaryCall_ServerRestartedOnSamePort_SameChannelReconnects()
    {
        var server = await TestServer.StartAsync(EchoService.Create());
        using var channel = Channels.Create(server.Address);
        var invoker = channel.CreateCallInvoker();
        Assert.Equal("before", await invoker.AsyncUnaryCall(EchoService.Unary, null, default, "before").ResponseAsync.WaitAsync(Timeout));
        var port = server.Address.Port;
        await server.DisposeAsync();

        var down = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(EchoService.Unary, null, default, "down").ResponseAsync.WaitAsync(Timeout));
        await using var restarted = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Port = port });

        // Unavailable when the connect is refused; Internal when the dying connection's reset reaches the call first
        // (Grpc.Net.Client reports a stream cut short so; failed CI once). Either way the call failed as a link failure.
        Assert.Contains(down.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        // The channel backs off after the refused connect (as the node's own loop would); wait-for-ready rides it out.
        var ready = new CallOptions(deadline: DateTime.UtcNow.Add(Timeout)).WithWaitForReady();
        Assert.Equal("after", await invoker.AsyncUnaryCall(EchoService.Unary, null, ready, "after").ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task UnaryCall_LinkFreezesSilently_ClientKeepaliveFailsCallNamingThePing()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(new SleepProbe()));
        await using var proxy = new FreezableProxy(server.Address);
        using var channel = Channels.Create(proxy.Address, settings: new UplinkChannelSettings
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

        // Grpc.Net.Client reports the unanswered ping as INTERNAL; what matters is that the call fails fast, saying why.
        Assert.Contains(ex.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("ping", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryCall_LinkFreezesSilently_ServerKeepaliveFiresHandlerToken()
    {
        var probe = new SleepProbe();
        var http2 = new GrpcHttp2Options { KeepAlivePingDelaySeconds = 1, KeepAlivePingTimeoutSeconds = 1 };
        await using var server = await TestServer.StartAsync(EchoService.Create(probe), new TestServerSetup { Http2 = http2 });
        await using var proxy = new FreezableProxy(server.Address);
        // The client never pings, so only the server can notice the dead link.
        using var channel = Channels.Create(proxy.Address, settings: new UplinkChannelSettings { KeepAlivePingDelay = System.Threading.Timeout.InfiniteTimeSpan });

        using var call = channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "sleep");
        await probe.Started.Task.WaitAsync(Timeout);
        proxy.Freeze();

        await probe.Cancelled.Task.WaitAsync(Timeout);
    }
}
