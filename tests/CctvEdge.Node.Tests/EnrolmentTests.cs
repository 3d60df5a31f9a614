using CctvEdge.Node.Enrolment;
using CctvEdge.Harness;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Node.Tests;

/// <summary>
/// The node's side of enrolment: the enrolment file (owner-only, layered between the config file and the command
/// line) and <c>cctvedge-node enrol</c>'s answers to bad arguments and an unreachable server. The trade of a code
/// for a credential against the real server runs in the demo script's end-to-end test.
/// </summary>
public sealed class EnrolmentTests : IDisposable
{
    private readonly TempDirectory _temp = new("cctvedge-enrol");

    public void Dispose() => _temp.Dispose();

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void EnrolmentFile_OwnerOnly_OutranksTheConfigFileButNotTheCommandLine()
    {
        var data = Path.Combine(_temp.Path, "data");
        var config = WriteConfig(data, """ "Server": { "Address": "http://file:5081", "CaCertificate": "" }, """);
        EnrolmentFile.Write(data, "barn-pi", "http://enrolled:5081", "cen_secret");

        var fromFile = Configuration(config);
        var fromCommandLine = Configuration(config, "--Server:Address", "http://cli:5081");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnrolmentFile.PathIn(data)));
        Assert.Equal("http://enrolled:5081", fromFile["Server:Address"]);
        Assert.Equal("cen_secret", fromFile["Server:Credential"]);
        Assert.Equal("barn-pi", fromFile["Node:Id"]);
        Assert.Equal("http://cli:5081", fromCommandLine["Server:Address"]);
        Assert.Equal("cen_secret", fromCommandLine["Server:Credential"]);
    }

    [Fact]
    public void EnrolmentFile_WithTheConfigsOwnId_LeavesTheIdToTheFile()
    {
        var data = Path.Combine(_temp.Path, "data");
        var config = WriteConfig(data, "");
        EnrolmentFile.Write(data, null, "http://enrolled:5081", "cen_secret");

        Assert.Equal("from-file", Configuration(config)["Node:Id"]);
        Assert.Null(Configuration(WriteConfig(Path.Combine(_temp.Path, "other"), ""))["Server:Credential"]);
    }

    [Theory]
    [InlineData(new string[0], "usage: cctvedge-node enrol")]
    [InlineData(new[] { "--server", "127.0.0.1:5081", "--code", "AAAA-BBBB-CCCC-DDDD" }, "--server must be the server's gRPC address")]
    [InlineData(new[] { "--server", "http://127.0.0.1:5081", "--code", "AAAA-BBBB-CCCC-DDDD", "--Node:Id", "Not Valid" }, "node id 'Not Valid' is invalid")]
    [InlineData(new[] { "--server", "http://127.0.0.1:5081", "--code", "AAAA-BBBB-CCCC-DDDD", "--config", "/nonexistent/node.json" }, "--config: the file '/nonexistent/node.json' does not exist")]
    public async Task Enrol_BadArguments_ExitTwoWithTheReason(string[] args, string message)
    {
        using var error = new StringWriter();

        var exit = await EnrolCommand.RunAsync(args, TextWriter.Null, error);

        Assert.Equal(2, exit);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_ServerUnreachable_ExitOneAndNothingSaved()
    {
        var data = Path.Combine(_temp.Path, "data");
        using var error = new StringWriter();

        var exit = await EnrolCommand.RunAsync(
            ["--server", $"http://127.0.0.1:{FreePort.Next()}", "--code", "AAAA-BBBB-CCCC-DDDD", "--config", WriteConfig(data, "")], TextWriter.Null, error);

        Assert.Equal(1, exit);
        Assert.Contains("could not enrol with http://127.0.0.1:", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(EnrolmentFile.PathIn(data)));
    }

    [Theory]
    [InlineData("barn-pi", "barn-pi")]
    [InlineData("Barn.Pi 4", "barn-pi-4")]
    [InlineData("-_Gate", "gate")]
    public void NodeId_FromHostName_FollowsTheIdRule(string hostName, string expected)
    {
        Assert.Equal(expected, EnrolCommand.FromHostName(hostName));
    }

    private string WriteConfig(string dataDirectory, string extra)
    {
        var path = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, $$"""{ {{extra}} "Node": { "Id": "from-file", "DataDirectory": "{{dataDirectory}}" } }""");
        return path;
    }

    private static Microsoft.Extensions.Configuration.IConfiguration Configuration(string configFile, params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddNodeConfigurationFile(configFile);
        return builder.Configuration;
    }
}
