using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

/// <summary>
/// The fleet hub's camera configuration over the real server: a node's own cameras become version 1 at its hello,
/// API changes become new versions pushed down its session (or at its next hello when offline), and its replies,
/// applied or refused, show in <c>GET /api/nodes/{node}/config</c>.
/// </summary>
public sealed class CameraConfigApiTests : IAsyncLifetime
{
    private const string Yard = """[{"Id":"yard","Name":"Yard","Source":{"Kind":"rtsp","Url":"rtsp://admin:secret@192.0.2.10/stream"},"Plugins":{"motion":{"Threshold":25}}}]""";
    // Written as the config file writes it; the API keeps the keys as given.
    private static readonly JsonNode Gate = JsonNode.Parse("""{"Id":"gate","Source":{"Kind":"synthetic","Width":640,"Height":360}}""")!;
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Hello_NodesOwnCameras_BecomeVersionOneAndApplied()
    {
        using var node = await ConnectAsync(0, Yard);

        var config = await ConfigAsync();
        var cameras = await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes/barn/cameras");

        Assert.Equal(1, config.GetProperty("version").GetInt64());
        Assert.Equal(1, config.GetProperty("appliedVersion").GetInt64());
        Assert.Equal("node", config.GetProperty("author").GetString());
        Assert.Equal("yard", cameras![0]!["Id"]!.GetValue<string>());
        Assert.Equal(25, cameras[0]!["Plugins"]!["motion"]!["Threshold"]!.GetValue<int>());
    }

    [Fact]
    public async Task AddCamera_ConnectedNode_PushedAndRecordedWhenApplied()
    {
        using var node = await ConnectAsync(0, Yard);

        using var response = await _server.Http.PostAsJsonAsync("/api/nodes/barn/cameras", Gate);
        var push = await ReadCommandAsync(node);
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = push.CommandId, Ok = true } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var change = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, change.GetProperty("version").GetInt64());
        Assert.True(change.GetProperty("pushed").GetBoolean());
        Assert.Equal(2UL, push.ApplyConfig.Version);
        var pushed = JsonNode.Parse(push.ApplyConfig.CamerasJson)!.AsArray();
        Assert.Equal(["yard", "gate"], pushed.Select(c => c!["Id"]!.GetValue<string>()));
        Assert.Equal("rtsp://admin:secret@192.0.2.10/stream", pushed[0]!["Source"]!["Url"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await ConfigAsync()).GetProperty("appliedVersion").GetInt64() == 2, TimeSpan.FromSeconds(10), "version 2 to be recorded as applied");
    }

    [Fact]
    public async Task Push_NodeRefuses_ReasonShownAndAppliedVersionKept()
    {
        using var node = await ConnectAsync(0, Yard);

        using var response = await _server.Http.PutAsJsonAsync("/api/nodes/barn/cameras/yard", new { Source = new { Kind = "webcam" } });
        var push = await ReadCommandAsync(node);
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = push.CommandId, Ok = false, Error = "Cameras:0:Source:Kind 'webcam' is not one of synthetic, file, rtsp." } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yard", JsonNode.Parse(push.ApplyConfig.CamerasJson)![0]!["Id"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await ConfigAsync()).TryGetProperty("refusedVersion", out var v) && v.ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(10), "the refusal to be recorded");
        var config = await ConfigAsync();
        Assert.Equal(2, config.GetProperty("refusedVersion").GetInt64());
        Assert.Contains("webcam", config.GetProperty("refusedReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, config.GetProperty("appliedVersion").GetInt64());
    }

    [Fact]
    public async Task Change_NodeOffline_PushedAtItsNextHello()
    {
        using (var first = await ConnectAsync(0, Yard))
        {
            await first.CompleteAsync();
            await first.EndAsync();
        }

        await Eventually.TrueAsync(async () => !(await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes"))!.Any(n => n!["id"]!.GetValue<string>() == "barn" && n["online"]!.GetValue<bool>()), TimeSpan.FromSeconds(10), "the node to be offline");
        using var deactivate = await _server.Http.PostAsync("/api/nodes/barn/cameras/yard/deactivate", null);
        var change = await deactivate.Content.ReadFromJsonAsync<JsonElement>();

        using var again = await ConnectAsync(1, Yard);
        var push = await ReadCommandAsync(again);

        Assert.False(change.GetProperty("pushed").GetBoolean());
        Assert.Equal(2UL, push.ApplyConfig.Version);
        Assert.False(JsonNode.Parse(push.ApplyConfig.CamerasJson)![0]!["Enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Rollback_EarlierVersion_BecomesTheLatestAgain()
    {
        using var node = await ConnectAsync(0, Yard);
        using var added = await _server.Http.PostAsJsonAsync("/api/nodes/barn/cameras", Gate);
        using var removed = await _server.Http.DeleteAsync("/api/nodes/barn/cameras/yard");

        using var rollback = await _server.Http.PostAsJsonAsync("/api/nodes/barn/config/rollback", new { version = 2 });
        var versions = await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes/barn/config/versions");
        var cameras = await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes/barn/cameras");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal([4L, 3L, 2L, 1L], versions!.Select(v => v!["version"]!.GetValue<long>()));
        Assert.Equal("rollback to version 2", versions![0]!["comment"]!.GetValue<string>());
        Assert.Equal(["yard", "gate"], cameras!.Select(c => c!["Id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task BadChanges_ClearErrorsAndNoNewVersion()
    {
        using var node = await ConnectAsync(0, Yard);

        using var noId = await _server.Http.PostAsJsonAsync("/api/nodes/barn/cameras", new { Source = new { Kind = "synthetic" } });
        using var badId = await _server.Http.PostAsJsonAsync("/api/nodes/barn/cameras", new { Id = "../etc", Source = new { Kind = "synthetic" } });
        using var duplicate = await _server.Http.PostAsJsonAsync("/api/nodes/barn/cameras", new { Id = "yard" });
        using var notObject = await _server.Http.PostAsync("/api/nodes/barn/cameras", JsonContent.Create(new[] { 1, 2 }));
        using var renamed = await _server.Http.PutAsJsonAsync("/api/nodes/barn/cameras/yard", new { Id = "other" });
        using var unknownCamera = await _server.Http.PutAsJsonAsync("/api/nodes/barn/cameras/shed", new { Id = "shed" });
        using var unknownNode = await _server.Http.PostAsJsonAsync("/api/nodes/nobody/cameras", Gate);
        using var badRollback = await _server.Http.PostAsJsonAsync("/api/nodes/barn/config/rollback", new { version = 9 });

        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
        Assert.Contains("Id", await ErrorFieldsAsync(noId));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Contains("Id", await ErrorFieldsAsync(renamed));
        Assert.Equal(HttpStatusCode.NotFound, unknownCamera.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownNode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRollback.StatusCode);
        Assert.Contains("version", await ErrorFieldsAsync(badRollback));
        Assert.Single((await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes/barn/config/versions"))!);
    }

    [Theory]
    [InlineData("""{"Id":"yard"}""")]
    [InlineData("""[{"Id":""")]
    public async Task Hello_MalformedCameras_RefusedWithReasonAndNothingStored(string camerasJson)
    {
        using var node = new NodeSessionClient(_server.Client);
        var hello = NodeSessionClient.Hello("barn", "yard");
        hello.CamerasJson = camerasJson;

        await node.SendAsync(new NodeMessage { Hello = hello });
        var status = await node.EndAsync();

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("Cameras section", status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/nodes/barn/config")).StatusCode);
    }

    [Fact]
    public async Task Tokens_ReadScopeReadsWithoutPasswordsAndCannotChange_AdminScopeChanges()
    {
        using var node = await ConnectAsync(0, Yard);
        using var reader = _server.BearerClient(await InProcessServer.CreateTokenAsync(_server.Http, "reader", "read"));
        using var admin = _server.BearerClient(await InProcessServer.CreateTokenAsync(_server.Http, "installer", "admin"));
        using var anonymous = WebSignIn.NewClient(_server.WebAddress);

        var seen = await reader.GetFromJsonAsync<JsonArray>("/api/nodes/barn/cameras");
        using var refused = await reader.PostAsJsonAsync("/api/nodes/barn/cameras", Gate);
        using var unauthenticated = await anonymous.PostAsJsonAsync("/api/nodes/barn/cameras", Gate);
        using var allowed = await admin.PostAsJsonAsync("/api/nodes/barn/cameras", Gate);

        Assert.Equal("rtsp://admin:***@192.0.2.10/stream", seen![0]!["Source"]!["Url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var latest = (await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes/barn/config/versions"))![0]!;
        Assert.Equal(WebSignIn.AdminName, latest["author"]!.GetValue<string>());
    }

    [Fact]
    public async Task CameraSet_AfterAChange_NewCameraSnapshotsAccepted()
    {
        using var node = await ConnectAsync(0, Yard);
        var heartbeat = new Heartbeat { NodeTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), CameraSet = new CameraSet() };
        heartbeat.CameraSet.Cameras.Add(new CameraInfo { Id = "yard", Name = "Yard", SourceKind = "rtsp", Deactivated = true });
        heartbeat.CameraSet.Cameras.Add(new CameraInfo { Id = "gate", Name = "Gate", SourceKind = "synthetic" });

        await node.SendAsync(new NodeMessage { Heartbeat = heartbeat });
        await node.SendAsync(NodeSessionClient.Snapshot("gate", [0xFF, 0xD8, 0xFF, 0xD9]));

        await Eventually.TrueAsync(async () => (await _server.Http.GetAsync("/media/snapshots/barn/gate.jpg")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the new camera's snapshot to be stored");
        var nodes = await _server.Http.GetFromJsonAsync<JsonArray>("/api/nodes");
        var cameras = nodes!.Single(n => n!["id"]!.GetValue<string>() == "barn")!["cameras"]!.AsArray();
        Assert.Equal("deactivated", cameras.Single(c => c!["id"]!.GetValue<string>() == "yard")!["state"]!.GetValue<string>());
    }

    private async Task<NodeSessionClient> ConnectAsync(ulong version, string camerasJson)
    {
        var node = new NodeSessionClient(_server.Client);
        var hello = NodeSessionClient.Hello("barn", "yard");
        hello.ConfigVersion = version;
        hello.CamerasJson = camerasJson;
        await node.ConnectAsync(hello);
        await Eventually.TrueAsync(async () => (await _server.Http.GetAsync("/api/nodes/barn/config")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the node's configuration to be known");
        return node;
    }

    private async Task<JsonElement> ConfigAsync() => await _server.Http.GetFromJsonAsync<JsonElement>("/api/nodes/barn/config");

    /// <summary>Reads past heartbeats' acks to the next command; it must be a configuration push.</summary>
    private static async Task<Command> ReadCommandAsync(NodeSessionClient node)
    {
        while (true)
        {
            var message = await node.ReadAsync();
            if (message.BodyCase == ServerMessage.BodyOneofCase.Command)
            {
                Assert.Equal(Command.KindOneofCase.ApplyConfig, message.Command.KindCase);
                return message.Command;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }
}
