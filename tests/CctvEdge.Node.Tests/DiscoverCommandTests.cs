using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CctvEdge.Node.Discovery;

namespace CctvEdge.Node.Tests;

/// <summary>
/// <c>cctvedge-node discover</c> against an ONVIF camera played on 127.0.0.1 (a UDP socket answering WS-Discovery
/// probes as a Hikvision does): the probe asks for video transmitters, the answer to it is listed, answers to other
/// probes and malformed or hostile XML are ignored.
/// </summary>
public sealed partial class DiscoverCommandTests
{
    [Fact]
    public async Task Discover_ListsTheCameraThatAnswers_WithItsNameModelAndService()
    {
        using var camera = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)camera.Client.LocalEndPoint!).Port;
        var answering = AnswerAsync(camera, probe =>
        [
            // Another probe's answer, junk and an entity bomb come first: none of them is a camera.
            Matches("uuid:someone-else", "uuid:other-device", "192.0.2.99"),
            "<not xml",
            """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>""",
            Matches(MessageId(probe), "urn:uuid:4a2d1c3e-0001-0002-0003-bcbaa1b2c3d4", "192.0.2.20"),
        ]);
        var output = new StringWriter();

        var exit = await DiscoverCommand.RunAsync(["--address", $"127.0.0.1:{port}", "--timeout", "1.5"], output, new StringWriter());
        var probe = await answering;

        Assert.Equal(0, exit);
        Assert.Contains("NetworkVideoTransmitter", probe, StringComparison.Ordinal);
        Assert.Contains("http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe", probe, StringComparison.Ordinal);
        var text = output.ToString();
        Assert.Contains("1 ONVIF camera(s) answered at 127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Matches(@"192\.0\.2\.20\s+Yard gate, DS-2CD2043G2-I, barn east", text);
        Assert.Contains("ONVIF service http://192.0.2.20/onvif/device_service", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.99", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_Json_IsForScripts()
    {
        using var camera = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)camera.Client.LocalEndPoint!).Port;
        var answering = AnswerAsync(camera, probe => [Matches(MessageId(probe), "urn:uuid:cam-1", "192.0.2.21")]);
        var output = new StringWriter();

        Assert.Equal(0, await DiscoverCommand.RunAsync(["--address", $"127.0.0.1:{port}", "--timeout", "1", "--json"], output, new StringWriter()));
        await answering;

        var device = Assert.Single(JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray());
        Assert.Equal(("urn:uuid:cam-1", "192.0.2.21", "Yard gate"), (device.GetProperty("endpoint").GetString(), device.GetProperty("host").GetString(), device.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Discover_NobodyAnswers_SaysSoAndWhatToCheck()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var output = new StringWriter();

        Assert.Equal(0, await DiscoverCommand.RunAsync(["--address", $"127.0.0.1:{port}", "--timeout", "0.5"], output, new StringWriter()));

        Assert.StartsWith("No ONVIF camera answered at 127.0.0.1:", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "forever")]
    [InlineData("--address", "camera.local")]
    [InlineData("--bogus", "1")]
    public async Task Discover_BadArgument_Exit2WithUsage(string name, string value)
    {
        var errors = new StringWriter();

        Assert.Equal(2, await DiscoverCommand.RunAsync([name, value], new StringWriter(), errors));
        Assert.Contains(DiscoverCommand.Usage, errors.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Receives one probe and sends the answers back to where it came from; returns the probe.</summary>
    private static async Task<string> AnswerAsync(UdpClient camera, Func<string, string[]> answers)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await camera.ReceiveAsync(timeout.Token);
        var probe = Encoding.UTF8.GetString(received.Buffer);
        foreach (var answer in answers(probe))
        {
            await camera.SendAsync(Encoding.UTF8.GetBytes(answer), received.RemoteEndPoint, timeout.Token);
        }

        return probe;
    }

    private static string MessageId(string probe) => ProbeMessageId().Match(probe).Groups[1].Value;

    [GeneratedRegex("<a:MessageID>([^<]+)</a:MessageID>")]
    private static partial Regex ProbeMessageId();

    private static string Matches(string relatesTo, string endpoint, string ip) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
          <env:Header>
            <wsadis:MessageID>uuid:{Guid.NewGuid()}</wsadis:MessageID>
            <wsadis:RelatesTo>{relatesTo}</wsadis:RelatesTo>
            <wsadis:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsadis:To>
            <wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsadis:Action>
          </env:Header>
          <env:Body>
            <d:ProbeMatches>
              <d:ProbeMatch>
                <wsadis:EndpointReference><wsadis:Address>{endpoint}</wsadis:Address></wsadis:EndpointReference>
                <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
                <d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/Yard%20gate
                  onvif://www.onvif.org/hardware/DS-2CD2043G2-I onvif://www.onvif.org/location/barn%20east</d:Scopes>
                <d:XAddrs>http://{ip}/onvif/device_service</d:XAddrs>
                <d:MetadataVersion>10</d:MetadataVersion>
              </d:ProbeMatch>
            </d:ProbeMatches>
          </env:Body>
        </env:Envelope>
        """;
}
