using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>The agent's command line as an installer meets it: help, version, and a bad config reported in one go.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsEveryCommand_AndStartsNothing(string flag)
    {
        using var temp = new TempDirectory();

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, [flag], temp.Path);

        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        foreach (var command in new[] { "cctvedge-node [--config FILE]", "cctvedge-node enrol", "cctvedge-node discover", "cctvedge-node bench motion", "--version", "--Server:Address" })
        {
            Assert.Contains(command, agent.Output, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Version_PrintsTheAgentVersion()
    {
        using var temp = new TempDirectory();

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--version"], temp.Path);

        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        Assert.Matches(@"^cctvedge-node \d+\.\d+\.\d+", agent.Output.Trim());
    }

    [Fact]
    public async Task MalformedJson_NamesFileLineAndColumn_Exit2()
    {
        using var temp = new TempDirectory();
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, "{\n  \"Node\": { \"Id\": \"barn\" },\n  \"Server\": { \"Address\": http://x }\n}\n");

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("node.json line 3 column 26:", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralBadSections_AllListedInOneBlock_NoStackTrace()
    {
        using var temp = new TempDirectory();
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, """
            { "Node": { "Id": "Barn Pi" }, "Server": { "Address": "nope" }, "Metrics": { "Port": 99999 },
              "Microcontroller": { "Port": -1 }, "Cameras": [ { "Id": "yard", "Source": { "Kind": "rstp" } } ] }
            """);

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(Timeout));
        foreach (var key in new[] { "Node:Id 'Barn Pi'", "Server:Address 'nope'", "Metrics:Port", "Microcontroller:Port", "Cameras:0:Source:Kind 'rstp'" })
        {
            Assert.Contains(key, agent.Output, StringComparison.Ordinal);
        }

        Assert.Single(agent.Output.Split('\n'), line => line.Contains("invalid configuration", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", agent.Output, StringComparison.Ordinal);
    }
}
