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
    [InlineData("--Timelapse:IntervalSeconds", "0", "Timelapse:IntervalSeconds must be between 1 and 86400 (was 0)")]
    [InlineData("--Timelapse:Fps", "30", "Fps")]
    [InlineData("--ClipStorage:Provider", "ftp", "ClipStorage:Provider must be 'filesystem' or 's3' (was 'ftp')")]
    [InlineData("--ClipStorage:Provider", "s3", "ClipStorage:S3:SecretKey is required")]
    [InlineData("--Server:Database", "postgres", "Server:Database 'postgres' needs Server:ConnectionString")]
    public async Task Server_BadSetting_ExitsWithCode2AndNamesIt(string key, string value, string expected)
    {
        using var data = new TempDirectory();

        await using var server = ChildProcess.StartDotnet("server", RepositoryPaths.ServerDll, ["--data", data.Path, "--web-port", "0", key, value], data.Path);

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_SeveralBadSections_AllListedInOneBlock_NoStackTrace()
    {
        using var data = new TempDirectory();

        await using var server = ChildProcess.StartDotnet(
            "server", RepositoryPaths.ServerDll, ["--data", data.Path, "--grpc-port", "70000", "--Notifications:OfflineMinutes=-5", "--Server:HeartbeatSeconds", "0"], data.Path);

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        foreach (var expected in new[] { "Server:GrpcPort must be between", "Server:HeartbeatSeconds must be between", "Notifications:OfflineMinutes must be between" })
        {
            Assert.Contains(expected, server.Output, StringComparison.Ordinal);
        }

        Assert.Single(server.Output.Split('\n'), line => line.Contains("invalid configuration", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help", "cctvedge-server enrolment-code")]
    [InlineData("-h", "cctvedge-server check")]
    [InlineData("--version", "cctvedge-server 0.")]
    public async Task Server_HelpAndVersion_PrintAndExit0_WithoutStartingOrCreatingData(string flag, string expected)
    {
        using var temp = new TempDirectory();

        await using var server = ChildProcess.StartDotnet("server", RepositoryPaths.ServerDll, [flag], temp.Path);

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, server.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }
}
