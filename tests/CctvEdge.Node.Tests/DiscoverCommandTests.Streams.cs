using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CctvEdge.Node.Discovery;

namespace CctvEdge.Node.Tests;

/// <summary><c>discover --user</c>: the cameras found are asked for their streams over ONVIF (a fake camera's HTTP services on 127.0.0.1).</summary>
public sealed partial class DiscoverCommandTests
{
    [Fact]
    public void PasswordDigest_MatchesTheOnvifProgrammersGuideExample()
    {
        Assert.Equal("tuOSpGlFlIXsozq4HFNeeGeFLEI=", OnvifMessages.PasswordDigest(Convert.FromBase64String("LKqI6G/AikKCQrN0zqZFlg=="), "2010-09-16T07:50:45Z", "userpassword"));
    }

    [Fact]
    public async Task Discover_WithLogin_ListsStreamsAndASourceLine_PasswordNeverSentOrShown()
    {
        using var onvif = new FakeOnvifCamera();
        var (exit, text, _) = await DiscoverAsync(onvif, FakeOnvifCamera.Password, json: false);

        Assert.Equal(0, exit);
        Assert.Equal(["GetCapabilities", "GetProfiles", "GetStreamUri", "GetStreamUri"], onvif.Calls);
        Assert.Matches(@"stream mainStream\s+H264\s+2560x1440\s+rtsp://127\.0\.0\.1:554/Streaming/Channels/101\?transportmode=unicast", text);
        Assert.Matches(@"stream subStream\s+H264\s+640x360\s+rtsp://127\.0\.0\.1:554/Streaming/Channels/102", text);
        Assert.Contains("""
            "Source": { "Kind": "rtsp", "MainUrl": "rtsp://admin:PASSWORD@127.0.0.1:554/Streaming/Channels/101?transportmode=unicast", "SubUrl": "rtsp://admin:PASSWORD@127.0.0.1:554/Streaming/Channels/102?transportmode=unicast" }
            """, text, StringComparison.Ordinal);
        Assert.DoesNotContain("usual", text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOnvifCamera.Password, text, StringComparison.Ordinal);
        Assert.All(onvif.Bodies, b => Assert.DoesNotContain(FakeOnvifCamera.Password, b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discover_WithLogin_Json_CarriesTheStreams()
    {
        using var onvif = new FakeOnvifCamera();
        var (_, text, _) = await DiscoverAsync(onvif, FakeOnvifCamera.Password, json: true);

        var streams = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray()).GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(["mainStream", "subStream"], streams.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal((2560, 1440, "Profile_1"), (streams[0].GetProperty("width").GetInt32(), streams[0].GetProperty("height").GetInt32(), streams[0].GetProperty("token").GetString()));
    }

    [Fact]
    public async Task Discover_WrongPassword_SaysRefusedAndStillListsTheCamera()
    {
        using var onvif = new FakeOnvifCamera();
        var (exit, text, _) = await DiscoverAsync(onvif, "not-the-password", json: false);

        Assert.Equal(0, exit);
        Assert.Contains("1 ONVIF camera(s) answered", text, StringComparison.Ordinal);
        Assert.Contains("streams: the camera refused the user name or password", text, StringComparison.Ordinal);
        Assert.Equal(["GetCapabilities"], onvif.Calls);
    }

    [Fact]
    public async Task Discover_StreamAddressWithLogin_PasswordRedacted()
    {
        using var onvif = new FakeOnvifCamera(streamLogin: $"admin:{FakeOnvifCamera.Password}");
        var (_, text, _) = await DiscoverAsync(onvif, FakeOnvifCamera.Password, json: false);

        Assert.Contains("rtsp://admin:***@127.0.0.1:554/Streaming/Channels/101", text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOnvifCamera.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_ServiceUnreachable_SaysSo()
    {
        using var camera = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)camera.Client.LocalEndPoint!).Port;
        // A service address where nothing listens: the port of the (UDP) discovery socket, over TCP.
        var answering = AnswerAsync(camera, probe => [Matches(MessageId(probe), "urn:uuid:cam-2", $"127.0.0.1:{port}")]);
        var output = new StringWriter();

        await DiscoverCommand.RunAsync(["--address", $"127.0.0.1:{port}", "--timeout", "1", "--user", "admin"], output, new StringWriter(), _ => "x");
        await answering;

        Assert.Contains($"streams: 127.0.0.1:{port} could not be reached", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs discover with a login against <paramref name="onvif"/>, found through a WS-Discovery answer naming its service.</summary>
    private static async Task<(int Exit, string Output, string Errors)> DiscoverAsync(FakeOnvifCamera onvif, string password, bool json)
    {
        using var camera = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)camera.Client.LocalEndPoint!).Port;
        var answering = AnswerAsync(camera, probe => [Matches(MessageId(probe), "urn:uuid:cam-1", $"127.0.0.1:{onvif.Port}")]);
        var (output, errors) = (new StringWriter(), new StringWriter());
        string[] args = ["--address", $"127.0.0.1:{port}", "--timeout", "1", "--user", FakeOnvifCamera.User, .. json ? new[] { "--json" } : []];

        var exit = await DiscoverCommand.RunAsync(args, output, errors, name => name == DiscoverCommand.PasswordVariable ? password : null);
        await answering;
        return (exit, output.ToString(), errors.ToString());
    }
}
