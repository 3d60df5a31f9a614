using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Maintenance;
using Grpc.Core;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Enrolment over the real server: an admin issues a one-time code, a node trades it for its own credential over
/// gRPC, and from then on nobody can connect (or upload clips) as that node without it.
/// </summary>
public sealed class EnrolmentTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Enrol_WithIssuedCode_CredentialConnectsAndNothingElseDoes()
    {
        var code = await IssueAsync(new { comment = "barn Pi" });

        var reply = await EnrolAsync(code, "barn");

        Assert.Equal("barn", reply.NodeId);
        Assert.StartsWith("cen_", reply.Credential, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync("barn", reply.Credential));
        Assert.Equal(StatusCode.Unauthenticated, await HelloStatusAsync("barn", ""));
        Assert.Equal(StatusCode.Unauthenticated, await HelloStatusAsync("barn", "cen_guess"));
        var listed = Assert.Single(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/enrolment-codes") ?? []);
        Assert.Equal("used", listed.GetProperty("state").GetString());
        Assert.Equal("barn", listed.GetProperty("usedBy").GetString());
        Assert.Equal("barn Pi", listed.GetProperty("comment").GetString());
        Assert.False(listed.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Enrol_CodeUsedTwice_SecondRefusedAndFirstCredentialStillWorks()
    {
        var code = await IssueAsync(new { });
        var first = await EnrolAsync(code, "barn");

        var reuse = await Assert.ThrowsAsync<RpcException>(() => EnrolAsync(code, "shed"));
        var takeover = await Assert.ThrowsAsync<RpcException>(async () => await EnrolAsync(await IssueAsync(new { }), "barn"));

        Assert.Equal(StatusCode.FailedPrecondition, reuse.StatusCode);
        Assert.Contains("used already", reuse.Status.Detail, StringComparison.Ordinal);
        // A code for "any node" cannot take an enrolled node's identity.
        Assert.Equal(StatusCode.AlreadyExists, takeover.StatusCode);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync("barn", first.Credential));
    }

    [Fact]
    public async Task Enrol_CodeForOneNode_EnrolsOnlyThatIdAndReplacesItsCredential()
    {
        var first = await EnrolAsync(await IssueAsync(new { }), "barn");
        var code = await IssueAsync(new { nodeId = "barn" });

        var other = await Assert.ThrowsAsync<RpcException>(() => EnrolAsync(code, "shed"));
        var replaced = await EnrolAsync(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), "barn");

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync("barn", replaced.Credential));
        Assert.Equal(StatusCode.Unauthenticated, await HelloStatusAsync("barn", first.Credential));
    }

    [Theory]
    [InlineData("not-a-code", StatusCode.InvalidArgument, "not an enrolment code")]
    [InlineData("AAAA-BBBB-CCCC-DDDD", StatusCode.NotFound, "No such enrolment code")]
    public async Task Enrol_BadOrUnknownCode_RefusedWithReason(string code, StatusCode expected, string detail)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => EnrolAsync(code, "barn"));

        Assert.Equal(expected, refused.StatusCode);
        Assert.Contains(detail, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync("barn", ""));
    }

    [Fact]
    public async Task RevokedCode_CannotEnrol()
    {
        using var created = await _server.Http.PostAsJsonAsync("/api/enrolment-codes", new { });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();

        using var revoked = await _server.Http.DeleteAsync($"/api/enrolment-codes/{body.GetProperty("id").GetInt64()}");
        var refused = await Assert.ThrowsAsync<RpcException>(() => EnrolAsync(body.GetProperty("code").GetString()!, "barn"));

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("revoked", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeCredential_EndsTheSessionAndTheNodeIsRefusedUntilItEnrolsAgain()
    {
        var enrolled = await EnrolAsync(await IssueAsync(new { }), "barn");
        using var node = new NodeSessionClient(_server.Client);
        var hello = NodeSessionClient.Hello("barn");
        hello.Credential = enrolled.Credential;
        await node.ConnectAsync(hello);

        using var revoke = await _server.Http.DeleteAsync("/api/nodes/barn/credential");
        var ended = await node.EndAsync();
        using var again = new NodeSessionClient(_server.Client);
        await again.SendAsync(new NodeMessage { Hello = hello });
        var refused = await again.EndAsync();

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.NotEqual(StatusCode.OK, ended.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("revoked", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync("barn", (await EnrolAsync(await IssueAsync(new { nodeId = "barn" }), "barn")).Credential));
    }

    [Fact]
    public async Task ClipCalls_OfAnEnrolledNode_NeedItsCredential()
    {
        var enrolled = await EnrolAsync(await IssueAsync(new { }), "barn");
        var clips = new ClipService.ClipServiceClient(_server.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c1" }, Identity("barn", "cen_guess")).ResponseAsync.WaitAsync(Timeout));
        var accepted = await Assert.ThrowsAsync<RpcException>(() => clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c1" }, Identity("barn", enrolled.Credential)).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        // Past the identity check: the clip is simply unknown.
        Assert.Equal(StatusCode.NotFound, accepted.StatusCode);
    }

    [Fact]
    public async Task CodesAndCredentials_AreNotStoredInTheDatabase()
    {
        var code = await IssueAsync(new { });
        var enrolled = await EnrolAsync(code, "barn");

        var database = await _server.EverythingAsync();

        Assert.Contains("enrolment_codes", database, StringComparison.Ordinal);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), database, StringComparison.Ordinal);
        Assert.DoesNotContain(code, database, StringComparison.Ordinal);
        Assert.DoesNotContain(enrolled.Credential, database, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueCode_ByAViewerOrWithBadFields_Refused()
    {
        using var viewer = await _server.ViewerClientAsync();

        using var forbidden = await viewer.PostAsJsonAsync("/api/enrolment-codes", new { });
        using var invalid = await _server.Http.PostAsJsonAsync("/api/enrolment-codes", new { nodeId = "../etc", expiresInHours = 0 });
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("nodeId", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("expiresInHours", out _));
    }

    [Fact]
    public async Task RequireEnrolment_RefusesNodesThatHaveNotEnrolled()
    {
        await using var strict = await InProcessServer.StartAsync("--Server:RequireEnrolment", "true");
        using var created = await strict.Http.PostAsJsonAsync("/api/enrolment-codes", new { nodeId = "barn" });
        var code = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        using var stranger = new NodeSessionClient(strict.Client);
        await stranger.SendAsync(new NodeMessage { Hello = NodeSessionClient.Hello("barn") });
        var refused = await stranger.EndAsync();
        var enrolled = await strict.Client.EnrolAsync(new EnrolRequest { Code = code, NodeId = "barn" }).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("cctvedge-node enrol", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, await HelloStatusAsync(strict, "barn", enrolled.Credential));
    }

    [Fact]
    public async Task ConsoleCommand_IssuesACodeTheRunningServerAccepts()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // The console's command reaches the server's rows wherever they are: its data folder, or the same PostgreSQL.
        string[] where = ["--data", _server.DataDirectory, .. await TestEngine.ServerArgsAsync(_server.DataDirectory)];
        var exit = await EnrolmentCodeCommand.RunAsync([.. where, "--node", "barn", "--hours", "2"], output, error);
        var bad = await EnrolmentCodeCommand.RunAsync([.. where, "--hours", "soon"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Equal(2, bad);
        Assert.Contains("cctvedge-node enrol --server URL --code", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("barn", (await EnrolAsync(output.ToString().Trim(), "barn")).NodeId);
    }

    private async Task<string> IssueAsync(object request)
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/enrolment-codes", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", code);
        return code;
    }

    private async Task<EnrolReply> EnrolAsync(string code, string nodeId) =>
        await _server.Client.EnrolAsync(new EnrolRequest { Code = code, NodeId = nodeId, NodeName = "Barn", Hostname = "pi" }).ResponseAsync.WaitAsync(Timeout);

    private Task<StatusCode> HelloStatusAsync(string nodeId, string credential) => HelloStatusAsync(_server, nodeId, credential);

    /// <summary>OK when a hello with this credential is welcomed, else the status the session ended with.</summary>
    private static async Task<StatusCode> HelloStatusAsync(InProcessServer server, string nodeId, string credential)
    {
        using var node = new NodeSessionClient(server.Client);
        var hello = NodeSessionClient.Hello(nodeId);
        hello.Credential = credential;
        await node.SendAsync(new NodeMessage { Hello = hello });
        try
        {
            var first = await node.ReadAsync();
            return first.BodyCase == ServerMessage.BodyOneofCase.Welcome ? StatusCode.OK : StatusCode.Unknown;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static CallOptions Identity(string nodeId, string credential) =>
        new(new Metadata { { ClipService.NodeIdHeader, nodeId }, { ClipService.CredentialHeader, credential } }, DateTime.UtcNow + Timeout);
}
