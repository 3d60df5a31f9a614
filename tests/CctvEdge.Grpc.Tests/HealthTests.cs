using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CctvEdge.Grpc.Tests;

public sealed class HealthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Check_WholeServerAfterStart_Serving()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        var client = new Health.HealthClient(server.Channel);

        var response = await client.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        var client = new Health.HealthClient(server.Channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(new HealthCheckRequest { Service = "nope" }).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamsUnknownThenEachChange()
    {
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        var health = server.Services.GetRequiredService<HealthServiceImpl>();
        using var cts = new CancellationTokenSource(Timeout);
        using var call = new Health.HealthClient(server.Channel).Watch(new HealthCheckRequest { Service = "ingest" }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);
        health.SetStatus("ingest", ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
        health.SetStatus("ingest", ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Watch_ServerStops_WatchEndsWithNotServing()
    {
        var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        using var channel = Channels.Create(server.Address);
        using var call = new Health.HealthClient(channel).Watch(new HealthCheckRequest());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        var stopping = server.DisposeAsync().AsTask();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
        await stopping.WaitAsync(Timeout);
    }
}
