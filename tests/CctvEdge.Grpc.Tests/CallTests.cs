namespace CctvEdge.Grpc.Tests;

public sealed class CallTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UnaryCall_Echo_ReturnsResponseAndOkStatus()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var call = server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "hello");

        Assert.Equal("hello", await call.ResponseAsync.WaitAsync(Timeout));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryCall_HandlerThrowsRpcException_ClientSeesCodeAndNonAsciiDetail()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        var invoker = server.Channel.CreateCallInvoker();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            invoker.AsyncUnaryCall(EchoService.Unary, null, default, "fail:5:no such café ✓ 100%\r\n").ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("no such café ✓ 100%\r\n", ex.Status.Detail);
    }

    [Fact]
    public async Task UnaryCall_UnknownMethod_Unimplemented()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        var missing = new Method<string, string>(MethodType.Unary, "test.Missing", "Nope", EchoService.Unary.RequestMarshaller, EchoService.Unary.ResponseMarshaller);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            server.Channel.CreateCallInvoker().AsyncUnaryCall(missing, null, default, "x").ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_UnknownMethodWithSecondServiceMapped_Unimplemented()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        var missing = new Method<string, string>(MethodType.Unary, "test.Missing", "Nope", EchoService.Unary.RequestMarshaller, EchoService.Unary.ResponseMarshaller);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            server.Channel.CreateCallInvoker().AsyncUnaryCall(missing, null, default, "x").ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_CustomMetadata_RoundTripsTextAndBinaryHeadersAndTrailers()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        var headers = new Metadata { { "token-bin", new byte[] { 0, 1, 254, 255 } } };
        using var call = server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, new CallOptions(headers), "header:x-farm=north");

        Assert.Equal("header:x-farm=north|0001FEFF", await call.ResponseAsync.WaitAsync(Timeout));
        Assert.Equal("north", (await call.ResponseHeadersAsync).GetValue("x-farm"));
        Assert.Equal("north", call.GetTrailers().GetValue("trailer-x-farm"));
    }

    [Fact]
    public async Task UnaryCall_DeadlinePasses_DeadlineExceededAndServerTokenFires()
    {
        var probe = new SleepProbe();
        await using var server = await TestServer.StartAsync(EchoService.Create(probe));
        // Long enough that the call surely reaches the handler first, even on a loaded CI machine.
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(2));

        var call = server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, options, "sleep");
        await probe.Started.Task.WaitAsync(Timeout);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await probe.Cancelled.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task UnaryCall_ClientCancels_CancelledAndServerTokenFires()
    {
        var probe = new SleepProbe();
        await using var server = await TestServer.StartAsync(EchoService.Create(probe));
        using var cts = new CancellationTokenSource();

        var call = server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, new CallOptions(cancellationToken: cts.Token), "sleep");
        await probe.Started.Task.WaitAsync(Timeout);
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await probe.Cancelled.Task.WaitAsync(Timeout);
    }

    [Fact]
    public async Task UnaryCall_NoServerListening_Unavailable()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var channel = Channels.Create(new Uri($"http://127.0.0.1:{port}"));
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "x").ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_RequestLargerThanServerMaximum_ResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), o => o.MaxReceiveMessageSize = 1024);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, new string('x', 4096)).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ClientStreamingCall_ThreeMessages_ServerSeesAllInOrder()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var call = server.Channel.CreateCallInvoker().AsyncClientStreamingCall(EchoService.Collect, null, default);

        foreach (var item in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(item).WaitAsync(Timeout);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal("a+b+c", await call.ResponseAsync.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ServerStreamingCall_RepeatFive_ReadsFiveThenOk()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var call = server.Channel.CreateCallInvoker().AsyncServerStreamingCall(EchoService.Repeat, null, default, "cow*5");

        var received = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
        {
            received.Add(call.ResponseStream.Current);
        }

        Assert.Equal(["cow#0", "cow#1", "cow#2", "cow#3", "cow#4"], received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DuplexCall_PingPong_EachRequestAnsweredBeforeTheNext()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(EchoService.Chat, null, default);

        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync("m" + i).WaitAsync(Timeout);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal("echo:m" + i, call.ResponseStream.Current);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DuplexCall_ServerEndsWithError_ReaderThrowsAndLaterWritesFailWithStatus()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create());
        using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(EchoService.Chat, null, default);

        await call.RequestStream.WriteAsync("stop").WaitAsync(Timeout);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("stopped by request", ex.Status.Detail);

        var writeError = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync("after").WaitAsync(Timeout));
        Assert.Equal(StatusCode.Aborted, writeError.StatusCode);
    }
}
