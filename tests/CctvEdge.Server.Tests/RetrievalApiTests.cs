using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Video fetched from a node's own store (issue 18) on the real server: the node's reported runs of video are kept
/// per camera, a retrieval goes down a connected node's session at once and an offline node's at its hello, the
/// node's answer and its clip (whose id is the retrieval's) move it on, and bad requests are refused naming the field.
/// </summary>
public sealed class RetrievalApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset Held = DateTimeOffset.UtcNow.AddHours(-2);
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConnectedNode_GetsTheCommand_ItsReplyAndClipMoveTheRetrievalToDone()
    {
        using var node = await ConnectWithVideoAsync();

        var (status, created) = await RequestAsync(Held.AddMinutes(10), Held.AddMinutes(12));
        var command = await ReadRetrievalAsync(node);
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = command.CommandId, Ok = true } });
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("sent", created.GetProperty("state").GetString());
        Assert.Equal(id, command.RetrieveVideo.RetrievalId);
        Assert.Equal(("barn", "yard"), ("barn", command.RetrieveVideo.CameraId));
        Assert.Equal(Held.AddMinutes(10).ToUnixTimeMilliseconds(), command.RetrieveVideo.Start.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(Held.AddMinutes(12).ToUnixTimeMilliseconds(), command.RetrieveVideo.End.ToDateTimeOffset().ToUnixTimeMilliseconds());
        await Eventually.TrueAsync(async () => await StateAsync(id) == "accepted", Timeout, "the node's ok to be recorded");

        // The clip is announced with the retrieval's id: uploading; once stored: done, with its address.
        await node.SendBatchAsync(ClipAnnouncement(1, id));
        Assert.Equal("uploading", await StateAsync(id));
        await MarkStoredAsync(id);
        var done = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/retrievals/{id}");
        Assert.Equal("done", done.GetProperty("state").GetString());
        Assert.Equal($"/media/clips/{id}.mp4", done.GetProperty("clipUrl").GetString());
        Assert.Equal(id, (await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/retrievals?node=barn&camera=yard"))!.Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task OfflineNode_PendingUntilItsHello_ARefusalKeepsTheNodesWords()
    {
        using (var first = await ConnectWithVideoAsync())
        {
        }

        await Eventually.TrueAsync(() => !_server.Services.GetRequiredService<SessionRegistry>().IsConnected("barn"), Timeout, "the node to leave");
        var (_, created) = await RequestAsync(Held.AddMinutes(1), Held.AddMinutes(2));
        var id = created.GetProperty("id").GetString()!;
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var command = await ReadRetrievalAsync(node);
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = command.CommandId, Ok = false, Error = "No video of camera 'yard' is on the node any more." } });

        Assert.Equal("pending", created.GetProperty("state").GetString());
        Assert.Equal(id, command.RetrieveVideo.RetrievalId);
        await Eventually.TrueAsync(async () => await StateAsync(id) == "refused", Timeout, "the refusal to be recorded");
        var refused = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/retrievals/{id}");
        Assert.Contains("any more", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherNodeAnnouncingTheRetrievalsId_DoesNotMoveIt()
    {
        using var node = await ConnectWithVideoAsync();
        var (_, created) = await RequestAsync(Held.AddMinutes(1), Held.AddMinutes(2));
        var id = created.GetProperty("id").GetString()!;
        using var stranger = new NodeSessionClient(_server.Client);
        await stranger.ConnectAsync(NodeSessionClient.Hello("shed"));

        await stranger.SendBatchAsync(ClipAnnouncement(1, id));

        Assert.Equal("sent", await StateAsync(id));
        Assert.Null((await _server.Http.GetFromJsonAsync<JsonElement>($"/api/retrievals/{id}")).GetProperty("clipId").GetString());
    }

    [Theory]
    [InlineData("""{"node":"Barn!","camera":"yard","from":"2026-12-05T10:00:00Z","to":"2026-12-05T10:01:00Z"}""", "node")]
    [InlineData("""{"node":"barn","camera":"yard","to":"2026-12-05T10:01:00Z"}""", "from")]
    [InlineData("""{"node":"barn","camera":"yard","from":"yesterday","to":"2026-12-05T10:01:00Z"}""", "from")]
    [InlineData("""{"node":"barn","camera":"yard","from":"2026-12-05T10:01:00Z","to":"2026-12-05T10:00:00Z"}""", "to")]
    [InlineData("""{"node":"barn","camera":"yard","from":"2026-12-05T10:00:00Z","to":"2026-12-05T11:00:00Z"}""", "to")]
    public async Task BadRequest_RefusedNamingTheField_NothingKept(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _server.Http.PostAsync("/api/retrievals", content);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/retrievals") ?? []);
    }

    [Fact]
    public async Task RangeTheNodeNoLongerHolds_UnknownCamera_OrAViewer_Refused()
    {
        using var node = await ConnectWithVideoAsync();
        using var viewer = await _server.ViewerClientAsync();

        var (gone, goneBody) = await RequestAsync(Held.AddDays(-3), Held.AddDays(-3).AddMinutes(1));
        var (unknown, _) = await RequestAsync(Held, Held.AddMinutes(1), camera: "gate");
        using var forbidden = await viewer.PostAsJsonAsync("/api/retrievals", new { node = "barn", camera = "yard", from = Held, to = Held.AddMinutes(1) });

        Assert.Equal(HttpStatusCode.Conflict, gone);
        Assert.Contains("no longer holds", goneBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(Held.ToString("u", System.Globalization.CultureInfo.InvariantCulture)[..16], goneBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/retrievals") ?? []);
    }

    [Fact]
    public void RecordedJson_KeepsWellFormedRunsOnly()
    {
        var json = NodeStore.RecordedJson([Range(Held, Held.AddHours(1)), Range(Held, Held.AddHours(-1)), new TimeRange { Start = Timestamp.FromDateTimeOffset(Held) }]);

        Assert.Equal([(Held.ToUnixTimeMilliseconds(), Held.AddHours(1).ToUnixTimeMilliseconds())],
            RetrievalStore.ParseRecorded(json).Select(r => (r.Start.ToUnixTimeMilliseconds(), r.End.ToUnixTimeMilliseconds())));
    }

    /// <summary>A node "barn" with camera "yard" that has reported holding the hour from <see cref="Held"/>.</summary>
    private async Task<NodeSessionClient> ConnectWithVideoAsync()
    {
        var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var heartbeat = new Heartbeat { NodeTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        heartbeat.Cameras.Add(new CameraStatus { CameraId = "yard", State = CameraState.Running, Recorded = { Range(Held, Held.AddHours(1)) } });
        await node.SendAsync(new NodeMessage { Heartbeat = heartbeat });
        await Eventually.TrueAsync(async () => (await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/nodes/barn/cameras/yard/recorded"))?.Length == 1, Timeout, "the heartbeat's runs of video");
        return node;
    }

    private static TimeRange Range(DateTimeOffset start, DateTimeOffset end) => new() { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) };

    private async Task<(HttpStatusCode Status, JsonElement Body)> RequestAsync(DateTimeOffset from, DateTimeOffset to, string camera = "yard")
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/retrievals", new { node = "barn", camera, from, to });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<string?> StateAsync(string id) =>
        (await _server.Http.GetFromJsonAsync<JsonElement>($"/api/retrievals/{id}")).GetProperty("state").GetString();

    private static async Task<Command> ReadRetrievalAsync(NodeSessionClient node)
    {
        while (true)
        {
            var message = await node.ReadAsync();
            if (message.Command?.KindCase == Command.KindOneofCase.RetrieveVideo)
            {
                return message.Command;
            }
        }
    }

    private static Result ClipAnnouncement(ulong sequence, string id) => new()
    {
        Sequence = sequence,
        CameraId = "yard",
        PluginId = "recording",
        Clip = new ClipInfo
        {
            ClipId = id,
            Start = Timestamp.FromDateTimeOffset(Held.AddMinutes(10)),
            End = Timestamp.FromDateTimeOffset(Held.AddMinutes(12)),
            Size = 1000,
            Sha256 = ByteString.CopyFrom(new byte[32]),
            Reason = "retrieval",
        },
    };

    private async Task MarkStoredAsync(string id) =>
        await _server.Database().WriteAsync(
            (connection, transaction) => Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE clips SET state = 'stored' WHERE id = @Id", new { Id = id }, transaction),
            CancellationToken.None);
}
