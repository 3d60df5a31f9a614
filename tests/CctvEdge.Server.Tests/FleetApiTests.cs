using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;

namespace CctvEdge.Server.Tests;

/// <summary><c>GET /api/fleet/nodes</c> from what heartbeats report, and sites set by admins.</summary>
public sealed class FleetApiTests
{
    [Fact]
    public async Task FleetNodes_HeartbeatHealth_TemperatureClockSkewBacklogAge_AndSites()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var oldest = DateTimeOffset.UtcNow.AddMinutes(-42);
        await node.SendAsync(new NodeMessage
        {
            Heartbeat = new Heartbeat
            {
                NodeTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-30)),
                CpuTemperatureCelsius = 61.5,
                PendingResults = 12,
                PendingClips = 3,
                OldestPendingAt = Timestamp.FromDateTimeOffset(oldest),
            },
        });
        using var viewer = await server.ViewerClientAsync();

        var barn = await CctvEdge.Testing.Eventually.GetValueAsync<JsonElement>(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/fleet/nodes"))!.FirstOrDefault(n => n.GetProperty("id").GetString() == "barn") is { ValueKind: JsonValueKind.Object } n
                && n.GetProperty("pendingResults").GetInt64() == 12 ? n : (JsonElement?)null,
            TimeSpan.FromSeconds(20),
            "the heartbeat to show");
        using var set = await server.Http.PutAsJsonAsync("/api/nodes/barn/site", new { site = " North farm " });
        using var tooLong = await server.Http.PutAsJsonAsync("/api/nodes/barn/site", new { site = new string('x', 61) });
        using var unknown = await server.Http.PutAsJsonAsync("/api/nodes/ghost/site", new { site = "North farm" });
        using var forbidden = await viewer.PutAsJsonAsync("/api/nodes/barn/site", new { site = "South" });
        var after = (await viewer.GetFromJsonAsync<JsonElement[]>("/api/fleet/nodes"))!.Single(n => n.GetProperty("id").GetString() == "barn");

        Assert.True(barn.GetProperty("online").GetBoolean());
        Assert.Equal(61.5, barn.GetProperty("cpuTemperature").GetDouble());
        Assert.InRange(TimeSpan.Parse(barn.GetProperty("clockSkew").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds, 29, 40);
        Assert.Equal(oldest.ToUnixTimeMilliseconds(), barn.GetProperty("oldestPending").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(3, barn.GetProperty("pendingClips").GetInt64());
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (set.StatusCode, tooLong.StatusCode, unknown.StatusCode, forbidden.StatusCode));
        Assert.Equal("North farm", after.GetProperty("site").GetString());
    }

    [Fact]
    public async Task UploadPolicy_Heartbeat_ShownOnFleetAndOverview_AbsentUntilReported()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var before = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/fleet/nodes"))!.Single(n => n.GetProperty("id").GetString() == "barn");
        var status = new UploadPolicyStatus
        {
            Clips = "flagged",
            WindowOpen = false,
            BudgetBytes = 500L * 1024 * 1024,
            UsedBytes = 123_456_789,
            HeldClips = 4,
            HeldReason = "clips are sent only 01:00-05:00 (node time)",
            KeptOnNode = 7,
        };
        status.Windows.Add("01:00-05:00");
        await node.SendAsync(new NodeMessage { Heartbeat = new Heartbeat { UploadPolicy = status } });

        var fleet = await CctvEdge.Testing.Eventually.GetValueAsync<JsonElement>(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/fleet/nodes"))!.Single(n => n.GetProperty("id").GetString() == "barn").GetProperty("uploadPolicy") is { ValueKind: JsonValueKind.Object } p ? p : (JsonElement?)null,
            TimeSpan.FromSeconds(20),
            "the heartbeat's upload policy to show");
        var overview = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/nodes"))!.Single(n => n.GetProperty("id").GetString() == "barn").GetProperty("uploads").GetProperty("policy");

        Assert.Equal(JsonValueKind.Null, before.GetProperty("uploadPolicy").ValueKind);
        foreach (var policy in new[] { fleet, overview })
        {
            Assert.Equal("flagged", policy.GetProperty("clips").GetString());
            Assert.Equal(["01:00-05:00"], policy.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
            Assert.False(policy.GetProperty("windowOpen").GetBoolean());
            Assert.Equal(500L * 1024 * 1024, policy.GetProperty("budgetBytes").GetInt64());
            Assert.Equal(123_456_789, policy.GetProperty("usedBytes").GetInt64());
            Assert.Equal(4, policy.GetProperty("heldClips").GetInt64());
            Assert.Equal(status.HeldReason, policy.GetProperty("heldReason").GetString());
            Assert.Equal(7, policy.GetProperty("keptOnNode").GetInt64());
            Assert.True(policy.GetProperty("limits").GetBoolean());
        }
    }
}
