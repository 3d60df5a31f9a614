using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Sessions;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Plugin rollout on the real server: packages are checked on upload as a node checks them, a rollout reaches a
/// connected node at once and an offline one at its hello, only nodes it was rolled out to may download it, and the
/// node's reply settles the rollout.
/// </summary>
public sealed class PluginRolloutTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A plugin folder's zip: plugin.json and its assembly, optionally inside a top folder.</summary>
    internal static byte[] Package(string version = "1.2.0", string assembly = "Gate.dll", string top = "", params (string Name, string Text)[] extra) =>
        Zip([
            (top + "plugin.json", $$"""{"id":"gate","version":"{{version}}","sdkAbi":1,"assembly":"Gate.dll","entryType":"Gate.Plugin"}"""),
            .. assembly.Length > 0 ? [(top + assembly, "not really an assembly, the server does not load it")] : Array.Empty<(string, string)>(),
            .. extra,
        ]);

    internal static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
                writer.Write(text);
            }
        }

        return memory.ToArray();
    }

    [Fact]
    public async Task Upload_ValidPackage_KeptByItsSha256_TheSameTwiceIsOnePackage()
    {
        var zip = Package(top: "gate/");

        var first = await UploadAsync(zip);
        var again = await UploadAsync(zip);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), first.Body.GetProperty("id").GetString());
        Assert.Equal("gate", first.Body.GetProperty("pluginId").GetString());
        Assert.Equal("1.2.0", first.Body.GetProperty("version").GetString());
        Assert.Equal(first.Body.GetProperty("id").GetString(), again.Body.GetProperty("id").GetString());
        Assert.Single(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/plugin-packages") ?? []);
    }

    [Theory]
    [InlineData("traversal", "outside the plugin's folder")]
    [InlineData("no-assembly", "the package has no 'Gate.dll'")]
    [InlineData("not-zip", "not a zip file")]
    [InlineData("no-manifest", "no plugin.json")]
    public async Task Upload_BadPackage_RefusedWithTheReasonAndNothingKept(string kind, string reason)
    {
        var body = kind switch
        {
            "traversal" => Package(extra: ("../../evil.sh", "rm -rf /")),
            "no-assembly" => Package(assembly: ""),
            "not-zip" => Encoding.UTF8.GetBytes("just text"),
            _ => Zip(("a/plugin.json", "{}"), ("b/other.txt", "two top folders, no manifest at the root")),
        };

        var (status, problem) = await UploadAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/plugin-packages") ?? []);
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "plugin-packages")));
    }

    [Fact]
    public async Task Rollout_ConnectedNode_GetsTheCommand_DownloadsAndResumes_ReplySettlesIt()
    {
        var zip = Package();
        var id = (await UploadAsync(zip)).Body.GetProperty("id").GetString()!;
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));

        var started = await StartAsync(id, "barn");
        var command = await ReadInstallAsync(node);
        var whole = await DownloadAsync("barn", id, 0);
        var rest = await DownloadAsync("barn", id, 100);
        var stranger = await Assert.ThrowsAsync<RpcException>(() => DownloadAsync("shed", id, 0));
        var hostile = await Assert.ThrowsAsync<RpcException>(() => DownloadAsync("barn", "../../cctvedge.db", 0));
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = command.CommandId, Ok = true } });

        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        Assert.Equal("sent", started.Body[0].GetProperty("state").GetString());
        Assert.Equal(id, command.InstallPlugin.PackageId);
        Assert.Equal("gate", command.InstallPlugin.PluginId);
        Assert.Equal((ulong)zip.Length, command.InstallPlugin.Size);
        Assert.Equal(zip, whole);
        Assert.Equal(zip[100..], rest);
        Assert.Equal(StatusCode.PermissionDenied, stranger.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, hostile.StatusCode);
        await CctvEdge.Testing.Eventually.TrueAsync(async () => await RolloutStateAsync("barn") == "installed", Timeout, "the rollout to be recorded as installed");
    }

    [Fact]
    public async Task Rollout_OfflineNode_PendingUntilItsHello_AFailureKeepsTheReason()
    {
        var id = (await UploadAsync(Package())).Body.GetProperty("id").GetString()!;
        using (var first = new NodeSessionClient(_server.Client))
        {
            await first.ConnectAsync(NodeSessionClient.Hello("barn"));
        }

        await CctvEdge.Testing.Eventually.TrueAsync(() => !_server.Services.GetRequiredService<SessionRegistry>().IsConnected("barn"), Timeout, "the node to leave");
        var started = await StartAsync(id, "barn");
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var command = await ReadInstallAsync(node);
        await node.SendAsync(new NodeMessage { CommandReply = new CommandReply { CommandId = command.CommandId, Ok = false, Error = "disk full" } });

        Assert.Equal("pending", started.Body[0].GetProperty("state").GetString());
        await CctvEdge.Testing.Eventually.TrueAsync(async () => await RolloutStateAsync("barn") == "failed", Timeout, "the rollout to be recorded as failed");
        var rollout = (await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/plugin-rollouts?node=barn"))![0];
        Assert.Equal("disk full", rollout.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Rollout_UnknownPackageOrNode_OrByAViewer_Refused()
    {
        using var node = new NodeSessionClient(_server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn"));
        var id = (await UploadAsync(Package())).Body.GetProperty("id").GetString()!;
        using var viewer = await _server.ViewerClientAsync();

        using var bad = await _server.Http.PostAsJsonAsync("/api/plugin-rollouts", new { packageId = "nope", nodes = new[] { "barn", "ghost" } });
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        using var forbidden = await viewer.PostAsJsonAsync("/api/plugin-rollouts", new { packageId = id, nodes = new[] { "barn" } });
        using var upload = new ByteArrayContent(Package());
        using var forbiddenUpload = await viewer.PostAsync("/api/plugin-packages", upload);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("packageId", out _));
        Assert.Contains("'ghost' is not a node", problem.GetProperty("errors").GetProperty("nodes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (forbidden.StatusCode, forbiddenUpload.StatusCode));
        Assert.Empty(await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/plugin-rollouts") ?? []);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(byte[] zip)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await _server.Http.PostAsync("/api/plugin-packages", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<(HttpStatusCode Status, JsonElement[] Body)> StartAsync(string packageId, params string[] nodes)
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/plugin-rollouts", new { packageId, nodes });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement[]>() ?? []);
    }

    private async Task<string?> RolloutStateAsync(string node) =>
        (await _server.Http.GetFromJsonAsync<JsonElement[]>($"/api/plugin-rollouts?node={node}"))!.FirstOrDefault() is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("state").GetString() : null;

    private static async Task<Command> ReadInstallAsync(NodeSessionClient node)
    {
        while (true)
        {
            var message = await node.ReadAsync();
            if (message.Command?.KindCase == Command.KindOneofCase.InstallPlugin)
            {
                return message.Command;
            }
        }
    }

    private async Task<byte[]> DownloadAsync(string nodeId, string packageId, ulong offset)
    {
        using var call = _server.Client.DownloadPlugin(
            new PluginDownload { PackageId = packageId, Offset = offset },
            new Metadata { { ClipService.NodeIdHeader, nodeId } },
            DateTime.UtcNow + Timeout);
        using var bytes = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            Assert.Equal(CctvEdge.Protocol.Crc32C.Compute(chunk.Data.Span), chunk.Crc32C);
            chunk.Data.WriteTo(bytes);
        }

        return bytes.ToArray();
    }
}
