using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Metrics;
using CctvEdge.Node.Uplink;
using CctvEdge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Node:Id"] = "barn",
        ["Server:Address"] = "http://127.0.0.1:5081",
        ["Cameras:0:Id"] = "yard",
        ["Cameras:0:Source:Kind"] = "synthetic",
        ["Cameras:0:Plugins:motion:Threshold"] = "30",
    };

    [Fact]
    public void Options_ValidConfig_BindsCamerasAndPluginSections()
    {
        var cameras = Resolve<CamerasOptions>(Valid);

        var camera = Assert.Single(cameras.Items);
        Assert.Equal("yard", camera.Id);
        Assert.Equal("Cameras:0", camera.Path);
        Assert.Equal("30", camera.Plugins["motion"]["Threshold"]);
    }

    [Theory]
    [InlineData("Node:Id", null, "Node:Id is required")]
    [InlineData("Node:Id", "Barn Pi", "Node:Id 'Barn Pi' is invalid")]
    [InlineData("Server:Address", "192.168.1.10:5081", "Server:Address '192.168.1.10:5081' must be an absolute http")]
    [InlineData("Cameras:0:Source:Kind", "rstp", "Cameras:0:Source:Kind 'rstp' is not one of synthetic, file, rtsp, v4l2, rpicam, push")]
    [InlineData("Cameras:0:Detect:Fps", "0", "Cameras:0:Detect:Fps must be between")]
    [InlineData("Cameras:0:GridSnapshotSeconds", "10", "Cameras:0:GridSnapshotSeconds must be between 0.5 and 5")]
    [InlineData("Cameras:0:Detect:Width", "wide", "Cameras:0:Detect:Width")]
    [InlineData("Cameras:0:Detct:Width", "320", "Detct")]
    [InlineData("Cameras:0:Plugins:motion:Enabled", "maybe", "Cameras:0:Plugins:motion:Enabled must be true or false")]
    [InlineData("Metrics:Port", "70000", "Metrics:Port must be 0 (off) or a port from 1 to 65535")]
    [InlineData("Metrics:BindAddress", "anywhere", "Metrics:BindAddress must be an IP address")]
    [InlineData("Push:Port", "70000", "Push:Port must be 0 (off) or a port from 1 to 65535")]
    [InlineData("Push:MaxImageBytes", "10", "Push:MaxImageBytes must be between 1024 and 104857600")]
    public void Options_BadValue_FailsWithMessageNamingTheKey(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var ex = Assert.Throws<OptionsValidationException>(() =>
        {
            Resolve<NodeOptions>(settings);
            Resolve<ServerConnectionOptions>(settings);
            Resolve<CamerasOptions>(settings);
            Resolve<NodeMetricsOptions>(settings);
            Resolve<CctvEdge.Node.Cameras.Push.PushOptions>(settings);
        });

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ServerAddresses_EachCheckedByIndexAndTriedInTurn()
    {
        var bad = new Dictionary<string, string?>(Valid) { ["Server:Addresses:0"] = "http://10.0.0.1:5081", ["Server:Addresses:1"] = "10.0.0.2:5081" };
        var good = new Dictionary<string, string?>(Valid) { ["Server:Addresses:0"] = "http://10.0.0.1:5081", ["Server:Addresses:1"] = "http://10.0.0.2:5081" };

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve<ServerConnectionOptions>(bad));
        using var connection = new ServerConnection(Options.Create(Resolve<ServerConnectionOptions>(good)), Options.Create(Resolve<NodeOptions>(good)));
        using var single = new ServerConnection(Options.Create(Resolve<ServerConnectionOptions>(Valid)), Options.Create(Resolve<NodeOptions>(Valid)));

        Assert.Equal("Server:Addresses:1 '10.0.0.2:5081' must be an absolute http:// or https:// address, e.g. http://192.168.1.10:5081.", Assert.Single(ex.Failures));
        Assert.Equal("http://10.0.0.1:5081", connection.Address);
        Assert.True(connection.Failover());
        Assert.Equal(("http://10.0.0.2:5081", "10.0.0.2:5081"), (connection.Address, connection.Channel.Target));
        Assert.True(connection.Failover());
        Assert.Equal("http://10.0.0.1:5081", connection.Address);
        Assert.False(single.Failover());
        Assert.Equal("http://127.0.0.1:5081", single.Address);
    }

    [Theory]
    [InlineData("rtsp", "MainUrl=http://admin:hunter2@192.0.2.10/live", "Cameras:0:Source:MainUrl 'http://admin:***@192.0.2.10/live' must be an rtsp:// address")]
    [InlineData("rtsp", "Transport=quic;Url=rtsp://192.0.2.10/live", "Cameras:0:Source:Transport 'quic' is not one of tcp, udp")]
    [InlineData("rtsp", "SubUrl=rtsp://192.0.2.10/sub", "Cameras:0:Source:MainUrl (or Cameras:0:Source:Url) is required")]
    [InlineData("v4l2", "Device=/etc/passwd", "Cameras:0:Source:Device '/etc/passwd' must be a device under /dev")]
    [InlineData("v4l2", "InputFormat=h265", "Cameras:0:Source:InputFormat 'h265' is not one of h264, mjpeg, yuyv422")]
    [InlineData("v4l2", "Encoder=libx264 -vf evil", "Cameras:0:Source:Encoder 'libx264 -vf evil' is not an ffmpeg encoder name")]
    [InlineData("v4l2", "Fps=0", "Cameras:0:Source:Fps must be between 1 and 120")]
    [InlineData("rpicam", "CameraIndex=9", "Cameras:0:Source:CameraIndex must be between 0 and 7")]
    [InlineData("rpicam", "BitrateKbps=5", "Cameras:0:Source:BitrateKbps must be between 100 and 50000")]
    [InlineData("push", "BurstGapSeconds=0", "Cameras:0:Source:BurstGapSeconds must be between 0.5 and 3600")]
    [InlineData("push", "Inbox=inbox/gate", "Cameras:0:Source:Inbox 'inbox/gate' must be an absolute folder path")]
    [InlineData("push", "Inbox=/srv/../etc", "Cameras:0:Source:Inbox '/srv/../etc' must be an absolute folder path without '..'")]
    [InlineData("push", "Inbox=/etc", "Cameras:0:Source:Inbox '/etc' is a top-level folder")]
    public void Options_BadSourceSetting_FailsNamingTheKey_WithoutThePassword(string kind, string source, string expected)
    {
        var settings = WithSource(kind, source);

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve<CamerasOptions>(settings));

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rtsp", "MainUrl=rtsp://admin:pw@192.0.2.10/101;SubUrl=rtsp://admin:pw@192.0.2.10/102;Transport=udp")]
    [InlineData("v4l2", "Device=/dev/video2;InputFormat=yuyv422;Encoder=h264_v4l2m2m")]
    [InlineData("rpicam", "Width=1920;Height=1080;Fps=25")]
    [InlineData("push", "Inbox=/srv/cctvedge/inbox/gate;BurstGapSeconds=3")]
    [InlineData("push", "BurstGapSeconds=5")]
    public void Options_NewSourceKinds_Valid(string kind, string source)
    {
        var settings = WithSource(kind, source);

        Assert.Equal(kind, Assert.Single(Resolve<CamerasOptions>(settings).Items).Source.Kind);
    }

    [Fact]
    public void Options_PushCamera_RecordsNoRing()
    {
        var settings = WithSource("push", "BurstGapSeconds=2");

        var camera = Assert.Single(Resolve<CamerasOptions>(settings).Items);

        Assert.Equal(2, camera.Source.BurstGapSeconds);
        Assert.False(camera.Recording.Enabled);
    }

    [Fact]
    public void Options_TwoCamerasSameId_Fails()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["Cameras:1:Id"] = "yard", ["Cameras:1:Source:Kind"] = "synthetic" };

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve<CamerasOptions>(settings));

        Assert.Contains(ex.Failures, f => f.Contains("Cameras:1:Id 'yard' is used by another camera", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agent_ConfigWithoutNodeId_ExitsWithCode2AndNamesTheKey()
    {
        using var temp = new TempDirectory();
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, """{ "Node": { "Name": "no id" }, "Cameras": [ { "Id": "yard", "Source": { "Kind": "synthetic" } } ] }""");

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Node:Id is required", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_MetricsPortNotANumber_ExitsWithCode2AndNamesTheKey()
    {
        using var temp = new TempDirectory();
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, """{ "Node": { "Id": "barn" }, "Metrics": { "Port": "nine" }, "Cameras": [ { "Id": "yard", "Source": { "Kind": "synthetic" } } ] }""");

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Metrics", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_MissingConfigFile_ExitsWithCode2AndNamesTheFile()
    {
        using var temp = new TempDirectory();

        await using var agent = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", temp.Combine("missing.json")], temp.Path);

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("missing.json' does not exist", agent.Output, StringComparison.Ordinal);
    }

    /// <summary>The valid settings with camera 0's source made of <paramref name="kind"/> and "Key=value;Key=value".</summary>
    private static Dictionary<string, string?> WithSource(string kind, string source)
    {
        var settings = new Dictionary<string, string?>(Valid) { ["Cameras:0:Source:Kind"] = kind };
        foreach (var pair in source.Split(';'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            settings["Cameras:0:Source:" + pair[..equals]] = pair[(equals + 1)..];
        }

        return settings;
    }

    private static T Resolve<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddNodeConfiguration(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }
}
