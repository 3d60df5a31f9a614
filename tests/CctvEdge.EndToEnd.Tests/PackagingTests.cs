using CctvEdge.Harness;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// The installer's path: the release bundle made by scripts/package.sh, installed by its install.sh into a throwaway
/// root (--root stages without apt, users or systemctl), its systemd unit checked by systemd-analyze, the
/// self-contained agent run from where it was installed, then upgraded and removed.
/// </summary>
public sealed class PackagingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PackageTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task NodeBundle_InstallsAsAServiceWithAValidUnit_RunsSelfContained_UpgradesKeepingConfig_Uninstalls()
    {
        using var temp = new TempDirectory("cctvedge-package");
        var bundle = await PackageAsync(temp, "node");
        var root = temp.Combine("root");

        Assert.Equal(0, await RunAsync(Path.Combine(bundle, "install.sh"), "--root", root, "--node-id", "barn-pi", "--server", "http://192.168.1.10:5081"));

        var config = await File.ReadAllTextAsync(Path.Combine(root, "etc/cctvedge/node.json"));
        Assert.Contains("\"Id\": \"barn-pi\"", config, StringComparison.Ordinal);
        Assert.Contains("\"Address\": \"http://192.168.1.10:5081\"", config, StringComparison.Ordinal);
        Assert.Equal(["detection", "motion", "recording", "sense"], Directory.GetDirectories(Path.Combine(root, "var/lib/cctvedge-node/plugins")).Select(Path.GetFileName).Order());
        // The detection plugin's natives (ONNX Runtime, OpenCV): the bundle's own platform's only.
        Assert.Equal(["linux-x64"], Directory.GetDirectories(Path.Combine(root, "var/lib/cctvedge-node/plugins/detection/runtimes")).Select(Path.GetFileName));
        await VerifyUnitAsync(root, "cctvedge-node");

        // The self-contained agent runs from its installed place (no .NET needed there), and checks its config.
        var agent = Path.Combine(root, "opt/cctvedge-node/cctvedge-node");
        Assert.Equal(0, await RunAsync(agent, "--version"));
        await File.WriteAllTextAsync(temp.Combine("bad.json"), """{ "Node": { "Id": "Barn Pi" } }""");
        Assert.Equal(2, await RunAsync(agent, "--config", temp.Combine("bad.json")));

        // An upgrade replaces the program and keeps the installer's edits and the data.
        await File.WriteAllTextAsync(Path.Combine(root, "etc/cctvedge/node.json"), config.Replace("\"Cameras\": []", "\"Cameras\": [], \"Metrics\": { \"Port\": 9464 }", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(root, "var/lib/cctvedge-node/outbox.db"), "kept");
        Assert.Equal(0, await RunAsync(Path.Combine(bundle, "install.sh"), "--root", root));
        Assert.Contains("9464", await File.ReadAllTextAsync(Path.Combine(root, "etc/cctvedge/node.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(agent));

        Assert.Equal(0, await RunAsync(Path.Combine(bundle, "install.sh"), "--root", root, "--uninstall"));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/cctvedge-node")));
        Assert.False(File.Exists(Path.Combine(root, "etc/systemd/system/cctvedge-node.service")));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(root, "var/lib/cctvedge-node/outbox.db")));
        Assert.True(File.Exists(Path.Combine(root, "etc/cctvedge/node.json")));

        Assert.Equal(0, await RunAsync(Path.Combine(bundle, "install.sh"), "--root", root, "--uninstall", "--purge"));
        Assert.False(Directory.Exists(Path.Combine(root, "var/lib/cctvedge-node")));
        Assert.False(Directory.Exists(Path.Combine(root, "etc/cctvedge")));
    }

    [Fact]
    public async Task ServerUnit_StagedByTheSameInstaller_IsValid()
    {
        // The server's bundle differs only in its program; a stand-in program keeps this test from publishing it.
        using var temp = new TempDirectory("cctvedge-package");
        var bundle = temp.Combine("cctvedge-server-test");
        Directory.CreateDirectory(Path.Combine(bundle, "app"));
        await File.WriteAllTextAsync(Path.Combine(bundle, "app/cctvedge-server"), "#!/bin/sh\necho cctvedge-server\n");
        Assert.Equal(0, await RunAsync("chmod", "755", Path.Combine(bundle, "app/cctvedge-server")));
        await File.WriteAllTextAsync(Path.Combine(bundle, "PROGRAM"), "server\n");
        foreach (var file in new[] { "install.sh", "cctvedge-server.service" })
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, "deploy", file), Path.Combine(bundle, file));
        }

        var root = temp.Combine("root");
        Assert.Equal(0, await RunAsync(Path.Combine(bundle, "install.sh"), "--root", root));

        Assert.True(File.Exists(Path.Combine(root, "opt/cctvedge-server/cctvedge-server")));
        Assert.False(File.Exists(Path.Combine(root, "etc/cctvedge/node.json")));
        await VerifyUnitAsync(root, "cctvedge-server");
    }

    /// <summary>systemd-analyze verify against the staged root, with this machine's system units for the targets it names.</summary>
    private async Task VerifyUnitAsync(string root, string name)
    {
        DemoNetwork.CopyDirectory("/usr/lib/systemd/system", Path.Combine(root, "usr/lib/systemd/system"));
        var unit = await File.ReadAllTextAsync(Path.Combine(root, $"etc/systemd/system/{name}.service"));
        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains("WatchdogSec=", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("@GROUPS@", unit, StringComparison.Ordinal);

        await using var verify = ChildProcess.Start("systemd-analyze", "systemd-analyze", ["verify", $"--root={root}", $"etc/systemd/system/{name}.service"], root);
        Assert.Equal(0, await verify.WaitForExitAsync(Timeout));
        // It exits 0 even for a line it ignores; any word from it is a mistake in the unit.
        Assert.True(string.IsNullOrWhiteSpace(verify.Output), verify.Output);
    }

    private async Task<string> PackageAsync(TempDirectory temp, string program)
    {
        await using var package = ChildProcess.Start("package.sh", "bash", ["scripts/package.sh", program, "linux-x64"], RepositoryPaths.Root);
        Assert.True(await package.WaitForExitAsync(PackageTimeout) == 0, package.Output);
        var archive = package.Output.Split('\n').Select(l => l.Trim()).Last(l => l.EndsWith(")", StringComparison.Ordinal)).Split(' ')[0];
        output.WriteLine(archive);
        Assert.Equal(0, await RunAsync("tar", "-C", temp.Path, "-xzf", Path.Combine(RepositoryPaths.Root, archive)));
        File.Delete(Path.Combine(RepositoryPaths.Root, archive));
        return Directory.GetDirectories(temp.Path, $"cctvedge-{program}-*").Single();
    }

    private async Task<int> RunAsync(string program, params string[] arguments)
    {
        await using var process = ChildProcess.Start(Path.GetFileName(program), program, arguments, RepositoryPaths.Root);
        var code = await process.WaitForExitAsync(Timeout);
        output.WriteLine($"{Path.GetFileName(program)} {string.Join(' ', arguments)} -> {code}{Environment.NewLine}{process.Output}");
        return code;
    }
}
