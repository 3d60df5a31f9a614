using CctvEdge.Server.Storage;
using CctvEdge.Web;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>The map page's view service: the same rules as <c>/api/maps</c>, admins only for changes, and every change audited.</summary>
public sealed class SiteMapAdminTests
{
    [Fact]
    public async Task Admin_CreatesUploadsPinsAndDeletes_EachChangeAudited()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await SensorNode.ConnectAsync(server, "barn");
        await CctvEdge.Testing.Eventually.TrueAsync(
            async () => (await server.Services.GetRequiredService<CctvEdge.Server.Maps.SiteMapReader>().DevicesAsync(null, CancellationToken.None)).Count == 2,
            TimeSpan.FromSeconds(20),
            "the node's devices to be known");

        var (id, problem, badPlan, badPins, pins, deleted) = await AsAsync(server, Roles.Admin, async maps =>
        {
            var (id, problem) = await maps.SaveAsync(null, "", "Yard", CancellationToken.None);
            await using var text = new MemoryStream("not an image"u8.ToArray());
            var badPlan = await maps.SetImageAsync(id!.Value, text, CancellationToken.None);
            var badPins = await maps.SetPinsAsync(id.Value, [new MapPin("camera", "barn", "yard", 2, 0.5)], CancellationToken.None);
            await maps.SetPinsAsync(id.Value, [new MapPin("camera", "barn", "yard", 0.4, 0.5), new MapPin("sensor", "barn", "bme", 0.6, 0.5)], CancellationToken.None);
            var pins = (await maps.GetAsync(id.Value, TimeSpan.FromMinutes(15), CancellationToken.None))!.Pins;
            var deleted = await maps.DeleteAsync(id.Value, CancellationToken.None);
            return (id, problem, badPlan, badPins, pins, deleted);
        });
        var audit = await server.Services.GetRequiredService<AuditStore>().ListAsync(100, 0, "tester", null, null, CancellationToken.None);

        Assert.Null(problem);
        Assert.Contains("PNG or JPEG", badPlan, StringComparison.Ordinal);
        Assert.Contains("pins[0].x", badPins, StringComparison.Ordinal);
        Assert.Equal(["camera/barn/yard", "sensor/barn/bme"], pins.Select(p => $"{p.Kind}/{p.Node}/{p.Device}"));
        Assert.True(deleted);
        Assert.Equal(["create site map", "upload site map plan", "place site map pins", "place site map pins", "delete site map"], audit.Select(a => a.Action).Reverse());
        Assert.Contains(audit, a => a.Target == $"map {id}" && a.Action == "delete site map");
    }

    [Fact]
    public async Task Viewer_ReadsMaps_EveryChangeRefused()
    {
        await using var server = await InProcessServer.StartAsync();
        var id = await SiteMapApiTests.CreateAsync(server.Http, "Yard");

        var read = await AsAsync(server, Roles.Viewer, maps => maps.GetAsync(id, TimeSpan.FromMinutes(15), CancellationToken.None));

        Assert.Equal("Yard", read?.Name);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(server, Roles.Viewer, maps => maps.SaveAsync(null, "", "Mine", CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(server, Roles.Viewer, maps => maps.SetPinsAsync(id, [], CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(server, Roles.Viewer, maps => maps.SetImageAsync(id, null, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAsync(server, Roles.Viewer, maps => maps.DeleteAsync(id, CancellationToken.None)));
        Assert.Single(await server.Services.GetRequiredService<SiteMapStore>().ListAsync(null, CancellationToken.None));
    }

    private static async Task<T> AsAsync<T>(InProcessServer server, string role, Func<ISiteMaps, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var authentication = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(UserPrincipal.Create(new SignedInUser("tester", role, "stamp")))));
        return await action(scope.ServiceProvider.GetRequiredService<ISiteMaps>());
    }
}
