using CctvEdge.Harness;
using CctvEdge.Server.Maintenance;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class ClipCheckTests
{
    [Fact]
    public async Task Run_DamagedStore_FindsEachProblemAndRepairLeavesItClean()
    {
        await using var server = await InProcessServer.StartAsync();
        var store = server.Services.GetRequiredService<ClipStore>();
        var now = DateTimeOffset.UtcNow;
        await ClipFixtures.StoreAsync(server, "fine", now);
        File.Delete(ClipFixtures.FileOf(store, await ClipFixtures.StoreAsync(server, "missing", now)));
        var truncated = await ClipFixtures.StoreAsync(server, "truncated", now);
        File.WriteAllBytes(ClipFixtures.FileOf(store, truncated), new byte[10]);
        var flipped = await ClipFixtures.StoreAsync(server, "flipped", now);
        var bytes = File.ReadAllBytes(ClipFixtures.FileOf(store, flipped));
        bytes[5] ^= 1;
        File.WriteAllBytes(ClipFixtures.FileOf(store, flipped), bytes);
        var orphan = Path.Combine(store.Root, "barn", "yard", "stray.mp4");
        File.WriteAllBytes(orphan, [1, 2, 3]);
        var progress = new StringWriter();

        var withoutHash = await new ClipCheck(store, progress).RunAsync(hash: false, repair: false, CancellationToken.None);
        var found = await new ClipCheck(store, progress).RunAsync(hash: true, repair: true, CancellationToken.None);
        var after = await new ClipCheck(store, progress).RunAsync(hash: true, repair: false, CancellationToken.None);

        Assert.Equal(["missing", "orphan", "size"], withoutHash.Select(p => p.What).Order());
        Assert.Equal(["missing:missing", "orphan:", "sha256:flipped", "size:truncated"], found.Select(p => $"{p.What}:{p.Clip?.Id}").Order());
        Assert.Empty(after);
        Assert.Equal(["fine"], await ClipFixtures.StoredIdsAsync(server));
        Assert.False(File.Exists(orphan));
        Assert.Contains("4/4 clips", progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckCommand_CleanStore_ExitsZeroAndSaysSo()
    {
        using var data = new TempDirectory();

        await using var check = ChildProcess.StartDotnet("check", RepositoryPaths.ServerDll, ["check", "--hash", "--data", data.Path], data.Path);

        Assert.Equal(0, await check.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("All clips are present and intact.", check.Output, StringComparison.Ordinal);
    }
}
