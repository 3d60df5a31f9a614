using CctvEdge.Harness;
using CctvEdge.Testing;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// ARM64 proven without a Pi: the self-contained linux-arm64 bundle of scripts/package.sh runs under
/// qemu-aarch64-static (with the arm64 userland of scripts/test.sh) against the x64 server, runs the motion plugin on
/// its NEON path over a synthetic camera, and its events and a clip reach the server. Its ffmpeg is the machine's own,
/// run natively: qemu-user hands a child process to the kernel. The motion kernel tests (vector paths against scalar)
/// run there too, as a self-running xunit program.
/// </summary>
public sealed class Arm64NodeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Arm64Bundle_UnderQemu_SendsMotionEventsAndAClipToTheX64Server()
    {
        using var temp = new TempDirectory("cctvedge-arm64");
        var app = await UnpackAsync(temp);

        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { Arm64App = app, RecordMotion = true });
        try
        {
            await network.WaitForEventsAsync(1, Timeout);
            await Eventually.GetAsync(async () => await network.ClipsAsync() is { Length: > 0 } clips ? clips : null, Timeout, "a clip from the arm64 node");
            var node = await network.NodeStatusAsync();

            Assert.Contains("Motion on camera yard: Vector128 kernels on Arm64.", network.Node.Output, StringComparison.Ordinal);
            Assert.Equal("e2e-node", node.GetProperty("id").GetString());
        }
        finally
        {
            output.WriteLine(network.Node.Output);
        }
    }

    [Fact]
    public async Task MotionKernelTests_UnderQemu_VectorPathsMatchScalar_OnArm64WithNeon()
    {
        using var temp = new TempDirectory("cctvedge-arm64-kernels");
        await using (var publish = ChildProcess.Start("publish", "dotnet",
            ["publish", "tests/CctvEdge.Plugins.Motion.KernelChecks", "-c", "Release", "-r", "linux-arm64", "--self-contained", "-nologo", "-v", "q", "-o", temp.Path],
            RepositoryPaths.Root))
        {
            Assert.True(await publish.WaitForExitAsync(TimeSpan.FromMinutes(8)) == 0, publish.Output);
        }

        var environment = new Dictionary<string, string>(DemoNetwork.Arm64Environment) { ["CCTVEDGE_EXPECT_ARCH"] = "Arm64" };
        await using var checks = ChildProcess.Start("kernel-checks-arm64", "qemu-aarch64-static",
            ["-L", DemoNetwork.Arm64Sysroot, Path.Combine(temp.Path, "CctvEdge.Plugins.Motion.KernelChecks"), "-noColor"], temp.Path, environment);
        var exit = await checks.WaitForExitAsync(Timeout);
        output.WriteLine(checks.Output);

        Assert.Equal(0, exit);
        var summary = System.Text.RegularExpressions.Regex.Match(checks.Output, @"Total: (\d+), Errors: (\d+), Failed: (\d+), Skipped: (\d+)");
        Assert.True(summary.Success, checks.Output);
        Assert.True(int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 20, summary.Value);
        Assert.Equal(("0", "0", "0"), (summary.Groups[2].Value, summary.Groups[3].Value, summary.Groups[4].Value));
    }

    private static async Task<string> UnpackAsync(TempDirectory temp)
    {
        await using var package = ChildProcess.Start("package.sh", "bash", ["scripts/package.sh", "node", "linux-arm64"], RepositoryPaths.Root);
        Assert.True(await package.WaitForExitAsync(TimeSpan.FromMinutes(8)) == 0, package.Output);
        var archive = Path.Combine(RepositoryPaths.Root, package.Output.Split('\n').Select(l => l.Trim()).Last(l => l.EndsWith(")", StringComparison.Ordinal)).Split(' ')[0]);
        await using var tar = ChildProcess.Start("tar", "tar", ["-C", temp.Path, "-xzf", archive], temp.Path);
        Assert.Equal(0, await tar.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        File.Delete(archive);
        return Path.Combine(Directory.GetDirectories(temp.Path, "cctvedge-node-*-linux-arm64").Single(), "app");
    }
}
