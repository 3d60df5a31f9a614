using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class NodeSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetServerInfo_Unary_ReturnsVersionAndProtocol()
    {
        await using var server = await InProcessServer.StartAsync();

        var info = await server.Client.GetServerInfoAsync(new GetServerInfoRequest()).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(1u, info.ProtocolVersion);
        Assert.False(string.IsNullOrEmpty(info.ServerVersion));
        Assert.InRange(info.ServerTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Connect_FirstMessageIsNotHello_InvalidArgument()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);

        await node.SendAsync(new NodeMessage { Heartbeat = new Heartbeat() });

        var status = await node.EndAsync();
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("hello", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc", 1u, StatusCode.InvalidArgument, "Node id '../etc' is invalid")]
    [InlineData("barn", 99u, StatusCode.FailedPrecondition, "Protocol version 99 is not supported")]
    public async Task Connect_BadHello_RefusedWithStatusAndReason(string nodeId, uint protocol, StatusCode expected, string detail)
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        var hello = NodeSessionClient.Hello(nodeId);
        hello.ProtocolVersion = protocol;

        await node.SendAsync(new NodeMessage { Hello = hello });

        var status = await node.EndAsync();
        Assert.Equal(expected, status.StatusCode);
        Assert.Contains(detail, status.Detail, StringComparison.Ordinal);
        Assert.Empty((await server.Services.GetRequiredService<IOverviewQuery>().GetOverviewAsync(10, CancellationToken.None)).Nodes);
    }

    [Fact]
    public async Task Connect_WrongCredential_Unauthenticated()
    {
        await using var server = await InProcessServer.StartAsync("--Server:NodeCredential", "s3cret");
        using var node = new NodeSessionClient(server.Client);
        var hello = NodeSessionClient.Hello();
        hello.Credential = "guess";

        await node.SendAsync(new NodeMessage { Hello = hello });

        Assert.Equal(StatusCode.Unauthenticated, (await node.EndAsync()).StatusCode);
    }

    [Fact]
    public async Task ResultBatch_ResentAfterReconnect_StoredExactlyOnce()
    {
        await using var server = await InProcessServer.StartAsync();
        var batch = new[]
        {
            NodeSessionClient.Event(1, "e1", T0),
            NodeSessionClient.Measurement(2, 1.5),
            NodeSessionClient.Event(3, "e2", T0.AddSeconds(30), T0.AddSeconds(40)),
        };

        using (var first = new NodeSessionClient(server.Client))
        {
            Assert.Equal(0UL, (await first.ConnectAsync(NodeSessionClient.Hello())).LastSequence);
            Assert.Equal(3UL, await first.SendBatchAsync(batch));
        }

        using var second = new NodeSessionClient(server.Client);
        Assert.Equal(3UL, (await second.ConnectAsync(NodeSessionClient.Hello())).LastSequence);
        // The node never saw the ack (say), so it resends everything plus one new result.
        Assert.Equal(4UL, await second.SendBatchAsync([.. batch, NodeSessionClient.Measurement(4, 2.5)]));

        Assert.Equal(2, await CountAsync(server, "events"));
        Assert.Equal(2, await CountAsync(server, "measurements"));
    }

    [Fact]
    public async Task Event_OpenedThenClosed_OneRowWithEndAndTheNewerVersionWins()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());

        await node.SendBatchAsync(NodeSessionClient.Event(1, "e1", T0));
        await node.SendBatchAsync(NodeSessionClient.Event(2, "e1", T0, T0.AddSeconds(8)));

        var events = await server.Services.GetRequiredService<EventStore>().LatestAsync(10, null, CancellationToken.None);
        var e = Assert.Single(events);
        Assert.Equal(T0.AddSeconds(8).ToUnixTimeMilliseconds(), e.EndMs);
        Assert.Equal("YARD", e.CameraName);
        Assert.Equal("""["gate"]""", e.ZonesJson);
    }

    [Fact]
    public async Task ResultBatch_WithInvalidResults_OthersStoredAndSequenceAdvances()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());
        var badCamera = NodeSessionClient.Event(1, "e1", T0, camera: "../../etc");
        var endsBeforeStart = NodeSessionClient.Event(2, "e2", T0, T0.AddSeconds(-5));
        var badPayload = NodeSessionClient.Event(3, "e3", T0);
        badPayload.Event.PayloadJson = "{ not json";

        var acked = await node.SendBatchAsync(badCamera, endsBeforeStart, badPayload, NodeSessionClient.Event(4, "good", T0));

        Assert.Equal(4UL, acked);
        var stored = await server.Services.GetRequiredService<EventStore>().LatestAsync(10, null, CancellationToken.None);
        Assert.Equal("good", Assert.Single(stored).EventId);
    }

    [Fact]
    public async Task Snapshot_ForKnownCamera_ServedOverHttpAndShownOnOverview()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());
        byte[] jpeg = [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9];

        await node.SendAsync(NodeSessionClient.Snapshot("yard", jpeg));
        await node.SendAsync(NodeSessionClient.Snapshot("unknown-camera", jpeg));

        var camera = await CctvEdge.Testing.Eventually.GetAsync(async () =>
            (await server.Services.GetRequiredService<IOverviewQuery>().GetOverviewAsync(1, CancellationToken.None)).Nodes.Single().Cameras.SingleOrDefault(c => c.SnapshotUrl is not null),
            Timeout, "the snapshot to be recorded");
        Assert.Equal(jpeg, await server.Http.GetByteArrayAsync(camera.SnapshotUrl));
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "snapshots", "barn", "unknown-camera.jpg")));
    }

    [Theory]
    [InlineData("/media/snapshots/..%2F..%2Fetc/passwd.jpg")]
    [InlineData("/media/snapshots/barn/..%2Fcctvedge.db")]
    [InlineData("/media/snapshots/barn/YARD.jpg")]
    public async Task SnapshotUrl_HostilePath_RefusedWithoutTouchingFiles(string url)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.Http.GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Connect_SameNodeConnectsAgain_OldSessionEndsNodeStaysOnline()
    {
        await using var server = await InProcessServer.StartAsync();
        using var old = new NodeSessionClient(server.Client);
        await old.ConnectAsync(NodeSessionClient.Hello());
        using var replacement = new NodeSessionClient(server.Client);
        await replacement.ConnectAsync(NodeSessionClient.Hello());

        await old.EndAsync();
        Assert.Equal(1UL, await replacement.SendBatchAsync(NodeSessionClient.Measurement(1, 1)));

        var node = (await server.Services.GetRequiredService<IOverviewQuery>().GetOverviewAsync(1, CancellationToken.None)).Nodes.Single();
        Assert.True(node.Online);
    }

    [Fact]
    public async Task Connect_NodeHangsUp_ShownOffline()
    {
        await using var server = await InProcessServer.StartAsync();
        var query = server.Services.GetRequiredService<IOverviewQuery>();
        using (var node = new NodeSessionClient(server.Client))
        {
            await node.ConnectAsync(NodeSessionClient.Hello());
            Assert.True((await query.GetOverviewAsync(1, CancellationToken.None)).Nodes.Single().Online);
            await node.CompleteAsync();
            await node.EndAsync();
        }

        await CctvEdge.Testing.Eventually.TrueAsync(() => !query.GetOverviewAsync(1, CancellationToken.None).Result.Nodes.Single().Online, Timeout, "the node to show offline");
    }

    private static async Task<long> CountAsync(InProcessServer server, string table)
    {
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}
