using System.Text.Json.Nodes;
using CctvEdge.Server.Api;

namespace CctvEdge.Server.Tests;

public sealed class CameraEntriesTests
{
    [Fact]
    public void Redacted_HidesThePasswordOfEveryStreamAddress_AndLeavesTheOriginalAlone()
    {
        var cameras = JsonNode.Parse("""
            [{"Id":"gate","Source":{"Kind":"rtsp","MainUrl":"rtsp://admin:main-secret@192.0.2.10/Streaming/Channels/101",
              "subUrl":"rtsp://admin:sub-secret@192.0.2.10/Streaming/Channels/102","Transport":"udp"}},
             {"Id":"barn","Source":{"Kind":"rtsp","Url":"rtsp://viewer@192.0.2.11/live"}}]
            """)!.AsArray();

        var redacted = CameraEntries.Redacted(cameras);

        Assert.Equal("rtsp://admin:***@192.0.2.10/Streaming/Channels/101", redacted[0]!["Source"]!["MainUrl"]!.GetValue<string>());
        Assert.Equal("rtsp://admin:***@192.0.2.10/Streaming/Channels/102", redacted[0]!["Source"]!["subUrl"]!.GetValue<string>());
        Assert.Equal("udp", redacted[0]!["Source"]!["Transport"]!.GetValue<string>());
        Assert.Equal("rtsp://viewer@192.0.2.11/live", redacted[1]!["Source"]!["Url"]!.GetValue<string>());
        Assert.DoesNotContain("secret", redacted.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("main-secret", cameras.ToJsonString(), StringComparison.Ordinal);
    }
}
