using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>The live grid: a tile per camera with its snapshot and recent motion, and follow requests down the sessions.</summary>
public sealed class LiveGridTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetTiles_CamerasWithSnapshotsAndEvents_TilePerCameraMarkedBySiteAndRecency()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", [0xFF, 0xD8, 1, 2, 0xFF, 0xD9]));
        await node.SendBatchAsync(
            NodeSessionClient.Event(1, "recent", DateTimeOffset.UtcNow.AddSeconds(-10), camera: "gate"),
            NodeSessionClient.Event(2, "old", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(-4), camera: "yard"));
        var grid = server.Services.GetRequiredService<ILiveGrid>();

        var tiles = await CctvEdge.Testing.Eventually.GetAsync(
            async () => await grid.GetTilesAsync(null, null, TimeSpan.FromMinutes(1), CancellationToken.None) is var t && t.Any(x => x.SnapshotUrl is not null) ? t : null,
            Timeout,
            "the snapshot to be stored");

        Assert.Equal(["gate", "yard"], tiles.Select(t => t.Camera.CameraId).Order());
        Assert.All(tiles, t => Assert.True(t.Online));
        var gate = tiles.Single(t => t.Camera.CameraId == "gate");
        var yard = tiles.Single(t => t.Camera.CameraId == "yard");
        Assert.True(gate.ActiveWithin(TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow));
        Assert.Null(yard.LastEventAt);
        Assert.StartsWith("/media/snapshots/barn/yard.jpg?v=", yard.SnapshotUrl, StringComparison.Ordinal);
        Assert.Null(gate.SnapshotUrl);

        await server.Services.GetRequiredService<NodeStore>().SetSiteAsync("barn", "North field", CancellationToken.None);
        Assert.Equal(2, (await grid.GetTilesAsync("North field", null, TimeSpan.FromMinutes(1), CancellationToken.None)).Count);
        Assert.Empty(await grid.GetTilesAsync("Elsewhere", null, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Follow_ConnectedAndGoneNodes_OnlyConnectedAskedToSendEveryNewSnapshot()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));

        var asked = server.Services.GetRequiredService<ILiveGrid>().Follow([new CameraKey("barn", "yard"), new CameraKey("shed", "door")]);

        Assert.Equal(1, asked);
        ServerMessage message;
        do
        {
            message = await node.ReadAsync();
        }
        while (message.Command?.RequestSnapshot is null);

        Assert.Equal("yard", message.Command.RequestSnapshot.CameraId);
        Assert.Equal((uint)ILiveGrid.FollowFor.TotalSeconds, message.Command.RequestSnapshot.FollowSeconds);
    }
}
