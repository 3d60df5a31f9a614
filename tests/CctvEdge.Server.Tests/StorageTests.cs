using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class StorageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetStorage_ClipsOnSeveralDays_BytesPerCameraAndDayAndForecasts()
    {
        await using var server = await InProcessServer.StartAsync();
        // Local days, as the page counts them (the same as UTC days on a machine set to UTC).
        var today = LocalDay.Today(TimeProvider.System);
        await ClipFixtures.StoreAsync(server, "old", LocalDay.Bounds(today.AddDays(-40)).Start, size: 5000);
        await ClipFixtures.StoreAsync(server, "y1", LocalDay.Bounds(today.AddDays(-1)).Start.AddHours(3), size: 1000);
        await ClipFixtures.StoreAsync(server, "y2", LocalDay.Bounds(today.AddDays(-1)).Start.AddHours(4), size: 2000);
        await ClipFixtures.StoreAsync(server, "g1", LocalDay.Bounds(today).Start.AddHours(1), size: 700, camera: "gate");
        await SeedNodeDiskAsync(server, today);

        var model = await server.Services.GetRequiredService<IStorageQuery>().GetAsync(30, null, CancellationToken.None);

        Assert.Equal(30, model.Days.Count);
        Assert.Equal(today, model.Days[^1]);
        var yard = Assert.Single(model.Cells, c => c.Camera == new CameraKey("barn", "yard"));
        Assert.Equal((today.AddDays(-1), 3000L, 2L), (yard.Day, yard.Bytes, yard.Clips));
        Assert.Equal(8700, model.TotalBytes);
        Assert.Equal(5000, model.BytesBeforeWindow);
        var serverDisk = model.Disks[0];
        Assert.Equal(3700 / 7.0, serverDisk.DailyGrowthBytes!.Value, 3);
        var node = Assert.Single(model.Disks, d => d.Disk.Name == "Barn");
        // 10 GB less free over 2 days: 5 GB a day, 20 GB free: 4 days.
        Assert.Equal(4, node.DaysUntilFull!.Value, 3);
    }

    [Fact]
    public async Task GetStorage_Site_OnlyThatSitesClipsAndNodeDisks()
    {
        await using var server = await InProcessServer.StartAsync();
        var today = LocalDay.Today(TimeProvider.System);
        await using (var seed = await server.SeedAsync())
        {
            await seed.NodeAsync("barn", "Barn", DateTimeOffset.UtcNow, ["yard"]);
            await seed.NodeAsync("shed", "Shed", DateTimeOffset.UtcNow, ["door"]);
        }

        await ClipFixtures.StoreAsync(server, "b1", LocalDay.Bounds(today).Start.AddHours(1), size: 700);
        await SeedNodeDiskAsync(server, today);
        var nodes = server.Services.GetRequiredService<NodeStore>();
        await nodes.SetSiteAsync("barn", "North field", CancellationToken.None);
        await nodes.SetSiteAsync("shed", "Yard", CancellationToken.None);
        var storage = server.Services.GetRequiredService<IStorageQuery>();

        var north = await storage.GetAsync(30, "North field", CancellationToken.None);
        var yard = await storage.GetAsync(30, "Yard", CancellationToken.None);

        Assert.Equal((700L, "Barn"), (north.TotalBytes, Assert.Single(north.Disks).Disk.Name));
        Assert.Single(north.Cells);
        Assert.Equal(0, yard.TotalBytes);
        Assert.Empty(yard.Cells);
        Assert.DoesNotContain(yard.Disks, d => d.Disk.Name == "Barn");
    }

    [Fact]
    public async Task ClipsCsv_Stored_OneLinePerClipWithHash()
    {
        await using var server = await InProcessServer.StartAsync();
        var clip = await ClipFixtures.StoreAsync(server, "c1", new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));

        var csv = await server.Http.GetStringAsync("/api/clips.csv?from=2026-11-21&to=2026-11-21").WaitAsync(Timeout);

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,node,camera,start_utc", lines[0], StringComparison.Ordinal);
        Assert.Equal($"c1,barn,yard,2026-11-21T06:00:00.000Z,2026-11-21T06:00:10.000Z,10,1000,{Convert.ToHexStringLower(clip.Sha256)},stored,0,", Assert.Single(lines[1..]));
        Assert.Single((await server.Http.GetStringAsync("/api/clips.csv?from=2026-11-22").WaitAsync(Timeout)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(1000, 100.0, 10.0)]
    [InlineData(1000, 0.0, null)]
    [InlineData(1000, -5.0, null)]
    [InlineData(-10, 100.0, 0.0)]
    public void DaysUntilFull_FreeAndGrowth_FreeOverGrowthOrNotFilling(long free, double growth, double? expected)
    {
        Assert.Equal(expected, StorageForecast.DaysUntilFull(free, growth));
    }

    private static async Task SeedNodeDiskAsync(InProcessServer server, DateOnly today)
    {
        await server.Database().WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO node_disk_days (node_id, day, free_bytes, total_bytes) VALUES ('barn', @D0, @F0, @T), ('barn', @D2, @F2, @T)",
            new { D0 = today.AddDays(-2).ToString("yyyy-MM-dd"), D2 = today.ToString("yyyy-MM-dd"), F0 = 30L << 30, F2 = 20L << 30, T = 64L << 30 },
            transaction), CancellationToken.None);
    }
}
