using CctvEdge.Harness;
using CctvEdge.Testing;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// scripts/demo.sh as a new user runs it, stopped as they would stop it: Ctrl+C (SIGINT to the terminal's process
/// group) or SIGTERM to the script. Nothing it started (server, node, ffmpeg) may outlive it. It runs on side ports
/// and a temporary folder, and skips its build when the Release build the tests use exists.
/// </summary>
public sealed class DemoScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task DemoScript_StoppedBySignal_NoServerNodeOrFfmpegLeftBehind(string signal)
    {
        using var demo = new TempDirectory("cctvedge-demo");
        var environment = new Dictionary<string, string>
        {
            ["CCTVEDGE_WEB_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CCTVEDGE_GRPC_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CCTVEDGE_BOARD_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CCTVEDGE_DEMO_DIR"] = demo.Path,
            ["CCTVEDGE_SKIP_BUILD"] = RepositoryPaths.Configuration == "Release" ? "1" : "0",
        };
        // setsid: the script leads its own process group, as a shell's foreground job in a terminal does.
        var script = ChildProcess.Start("demo.sh", "setsid", ["bash", "scripts/demo.sh"], RepositoryPaths.Root, environment);
        IReadOnlyList<ProcEntry> started = [];
        try
        {
            await script.WaitForLineAsync("CctvEdge demo is running", StartTimeout);
            // The demo server takes enrolled nodes only: the node enrolled with a one-time code and was let in.
            Assert.Contains("Enrolled node 'demo-node'", script.Output, StringComparison.Ordinal);
            await script.WaitForLineAsync("Node demo-node [^ ]+ connected from", StartTimeout);
            started = await Eventually.GetAsync(
                () => Task.FromResult(ProcessTree.Descendants(script.Id) is var tree && tree.Count(p => p.Name == "dotnet") >= 2 && tree.Any(p => p.Name == "ffmpeg") ? tree : null),
                StartTimeout,
                "the server, the node and its ffmpeg to run under the script");
            output.WriteLine(string.Join(Environment.NewLine, started.Select(p => $"{p.Pid} {p.Name} (parent {p.ParentPid})")));

            // Ctrl+C reaches the whole foreground process group; kill reaches the script alone.
            ChildProcess.Send(signal, signal == "INT" ? -script.Id : script.Id);
            var exit = await script.WaitForExitAsync(StopTimeout);

            var left = await Eventually.GetAsync(
                () => Task.FromResult(started.Where(p => p.IsAlive).ToList() is { Count: 0 } none ? none : null),
                TimeSpan.FromSeconds(10),
                "every process the demo started to be gone");
            Assert.Empty(left);
            Assert.Contains(exit, new[] { 0, 130, 143 });
            Assert.DoesNotContain("Unhandled", script.Output, StringComparison.Ordinal);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Still alive: {string.Join(", ", started.Where(p => p.IsAlive).Select(p => $"{p.Pid} {p.Name}"))}. Script output:{Environment.NewLine}{script.Output}", ex);
        }
        finally
        {
            // Whatever the outcome, nothing of the demo outlives the test.
            foreach (var process in started.Where(p => p.IsAlive))
            {
                ChildProcess.Send("KILL", process.Pid);
            }

            await script.DisposeAsync();
        }
    }
}
