using CctvEdge.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task RunOnce_ClipsPastMaxAge_DeletedUnlessFlagged()
    {
        await using var server = await InProcessServer.StartAsync("--Retention:MaxAgeDays", "1", "--Retention:MinFreeGigabytes", "0");
        var old = await ClipFixtures.StoreAsync(server, "old", Now.AddDays(-3));
        await ClipFixtures.StoreAsync(server, "old-flagged", Now.AddDays(-3), flagged: true);
        await ClipFixtures.StoreAsync(server, "recent", Now.AddHours(-1));
        var store = server.Services.GetRequiredService<ClipStore>();

        var deleted = await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(["old-flagged", "recent"], await ClipFixtures.StoredIdsAsync(server));
        Assert.False(File.Exists(ClipFixtures.FileOf(store, old)));
    }

    [Fact]
    public async Task RunOnce_CameraOverItsSize_OldestGoFirstAndPerCameraOverrideWins()
    {
        // 2500 bytes allowed for yard by its own override; the default would allow far more.
        await using var server = await InProcessServer.StartAsync(
            "--Retention:MinFreeGigabytes", "0",
            "--Retention:MaxGigabytesPerCamera", "10",
            "--Retention:Cameras:barn.yard:MaxGigabytes", (2500.0 / 1024 / 1024 / 1024).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < 4; i++)
        {
            await ClipFixtures.StoreAsync(server, "yard-" + i, Now.AddMinutes(i - 10));
            await ClipFixtures.StoreAsync(server, "gate-" + i, Now.AddMinutes(i - 10), camera: "gate");
        }

        await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);

        var left = await ClipFixtures.StoredIdsAsync(server);
        Assert.Equal(["gate-0", "gate-1", "gate-2", "gate-3", "yard-2", "yard-3"], left.Order());
    }

    [Fact]
    public async Task RunOnce_DiskBelowFloor_DeletesOldestUntilAboveAndKeepsFlagged()
    {
        await using var server = await InProcessServer.StartAsync("--Retention:MinFreeGigabytes", "1");
        await ClipFixtures.StoreAsync(server, "a", Now.AddMinutes(-30), flagged: true);
        await ClipFixtures.StoreAsync(server, "b", Now.AddMinutes(-20));
        await ClipFixtures.StoreAsync(server, "c", Now.AddMinutes(-10));
        var store = server.Services.GetRequiredService<ClipStore>();
        store.FreeBytes = () => store.StoredAsync(CancellationToken.None).Result.Count > 2 ? 0 : 2L << 30;

        await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);

        Assert.Equal(["a", "c"], await ClipFixtures.StoredIdsAsync(server));
    }
}
