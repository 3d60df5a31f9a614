using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>Saved camera groups (<c>/api/camera-groups</c>) and the live grid narrowed to one, in the group's order.</summary>
public sealed class CameraGroupApiTests
{
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task SaveListRenameDelete_GroupNarrowsTheGridInItsOwnOrder()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate", "door"));
        var grid = server.Services.GetRequiredService<ILiveGrid>();
        await CctvEdge.Testing.Eventually.GetAsync(async () => await grid.GetTilesAsync(null, null, Recent, CancellationToken.None) is { Count: 3 } t ? t : null, TimeSpan.FromSeconds(20), "the cameras to be known");

        using var created = await server.Http.PostAsJsonAsync("/api/camera-groups", new { name = " Barn doors ", cameras = new[] { Key("barn", "yard"), Key("barn", "gate"), Key("barn", "yard") } });
        var group = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = group.GetProperty("id").GetInt64();
        var inGroup = await grid.GetTilesAsync(null, "barn DOORS", Recent, CancellationToken.None);
        using var viewer = await server.ViewerClientAsync();
        var listed = (await viewer.GetFromJsonAsync<JsonElement[]>("/api/camera-groups"))!;
        using var renamed = await server.Http.PutAsJsonAsync($"/api/camera-groups/{id}", new { name = "Gates", cameras = new[] { Key("barn", "gate"), Key("barn", "door") } });
        var afterRename = await grid.GetTilesAsync(null, "Gates", Recent, CancellationToken.None);
        var oldName = await grid.GetTilesAsync(null, "Barn doors", Recent, CancellationToken.None);
        using var deleted = await server.Http.DeleteAsync($"/api/camera-groups/{id}");
        using var deletedAgain = await server.Http.DeleteAsync($"/api/camera-groups/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/camera-groups/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("Barn doors", group.GetProperty("name").GetString());
        Assert.Equal(["yard", "gate"], inGroup.Select(t => t.Camera.CameraId));
        var only = Assert.Single(listed);
        Assert.Equal(["barn.yard", "barn.gate"], only.GetProperty("cameras").EnumerateArray().Select(c => $"{c.GetProperty("nodeId").GetString()}.{c.GetProperty("cameraId").GetString()}"));
        Assert.Equal("admin", only.GetProperty("updatedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(["gate", "door"], afterRename.Select(t => t.Camera.CameraId));
        Assert.Empty(oldName);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, deletedAgain.StatusCode));
        Assert.Empty(await grid.GetTilesAsync(null, "Gates", Recent, CancellationToken.None));
        Assert.Equal(3, (await grid.GetTilesAsync(null, null, Recent, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Save_BadNamesCamerasTakenNamesUnknownIdsAndViewers_RefusedWithTheReasonAndNothingSaved()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        var grid = server.Services.GetRequiredService<ILiveGrid>();
        await CctvEdge.Testing.Eventually.GetAsync(async () => await grid.GetTilesAsync(null, null, Recent, CancellationToken.None) is { Count: 1 } t ? t : null, TimeSpan.FromSeconds(20), "the camera to be known");
        var yard = new[] { Key("barn", "yard") };
        using var first = await server.Http.PostAsJsonAsync("/api/camera-groups", new { name = "Yard", cameras = yard });
        using var viewer = await server.ViewerClientAsync();

        var refusals = new (object Body, HttpStatusCode Status, string Field, string Says)[]
        {
            (new { name = "  ", cameras = yard }, HttpStatusCode.BadRequest, "name", "1 to 60 characters"),
            (new { name = new string('x', 61), cameras = yard }, HttpStatusCode.BadRequest, "name", "1 to 60 characters"),
            (new { name = "Empty", cameras = Array.Empty<object>() }, HttpStatusCode.BadRequest, "cameras", "1 to 64 cameras"),
            (new { name = "Ghost", cameras = new[] { Key("barn", "ghost") } }, HttpStatusCode.BadRequest, "cameras", "'barn.ghost' is not a camera of any node"),
            (new { name = "Hostile", cameras = new[] { Key("../etc", "passwd") } }, HttpStatusCode.BadRequest, "cameras", "is not a camera key"),
            (new { name = "YARD", cameras = yard }, HttpStatusCode.Conflict, "", "'YARD' is taken by group #"),
        };
        foreach (var (body, status, field, says) in refusals)
        {
            using var response = await server.Http.PostAsJsonAsync("/api/camera-groups", body);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(says, problem, StringComparison.Ordinal);
            if (field.Length > 0)
            {
                Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), problem);
            }
        }

        using var unknownId = await server.Http.PutAsJsonAsync("/api/camera-groups/999", new { name = "Other", cameras = yard });
        using var byViewer = await viewer.PostAsJsonAsync("/api/camera-groups", new { name = "Mine", cameras = yard });
        using var deleteByViewer = await viewer.DeleteAsync($"/api/camera-groups/{(await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (unknownId.StatusCode, byViewer.StatusCode, deleteByViewer.StatusCode));
        Assert.Equal(["Yard"], (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/camera-groups"))!.Select(g => g.GetProperty("name").GetString()));
    }

    private static object Key(string node, string camera) => new { nodeId = node, cameraId = camera };
}
