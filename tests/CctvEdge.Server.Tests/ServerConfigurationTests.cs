using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class ServerConfigurationTests
{
    [Theory]
    [InlineData("--grpc-port", "70000", "Server:GrpcPort must be between 0 and 65535 (was 70000)")]
    [InlineData("--bind", "localhost", "Server:BindAddress 'localhost' is not an IP address")]
    [InlineData("--Server:HeartbeatSecs", "5", "HeartbeatSecs")]
    [InlineData("--Server:Http2:InitialStreamWindowSize", "1000", "Server:Http2:InitialStreamWindowSize must be between 65535")]
    [InlineData("--Server:Tls:Hostnams", "farm", "Hostnams")]
    public async Task Server_BadSetting_ExitsWithCode2AndNamesIt(string key, string value, string expected)
    {
        using var data = new TempDirectory();

        await using var server = ChildProcess.StartDotnet("server", RepositoryPaths.ServerDll, ["--data", data.Path, "--web-port", "0", key, value], data.Path);

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, server.Output, StringComparison.Ordinal);
    }
}
