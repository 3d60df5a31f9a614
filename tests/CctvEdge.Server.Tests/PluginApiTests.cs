using System.Net;
using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class PluginApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Schema = """{"type":"object","properties":{"Step":{"type":"integer","default":1}}}""";

    [Fact]
    public async Task SettingsSchema_SentInHello_ServedAsJson()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        var hello = NodeSessionClient.Hello("barn", "yard");
        hello.Plugins.Add(new PluginInfo { Id = "gate", Version = "1.0.0", State = PluginState.Running, SettingsSchemaJson = Schema });
        hello.Plugins.Add(new PluginInfo { Id = "plain", Version = "1.0.0", State = PluginState.Running });

        await node.ConnectAsync(hello).WaitAsync(Timeout);

        using var response = await server.Http.GetAsync("/api/nodes/barn/plugins/gate/settings-schema").WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("properties").GetProperty("Step").GetProperty("default").GetInt32());
        using var none = await server.Http.GetAsync("/api/nodes/barn/plugins/plain/settings-schema").WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Plugins_HeartbeatWithChangedInstalledPluginsAndCounters_Listed()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard")).WaitAsync(Timeout);
        var heartbeat = new Heartbeat { InstalledPlugins = new InstalledPlugins() };
        heartbeat.InstalledPlugins.Plugins.Add(new PluginInfo { Id = "gate", Version = "2.0.0", State = PluginState.Running, SettingsSchemaJson = Schema });
        heartbeat.Plugins.Add(new PluginInfo { Id = "gate", CameraId = "yard", Version = "2.0.0", State = PluginState.Running, CallsOverBudget = 3, Warning = "new settings not applied" });

        await node.SendAsync(new NodeMessage { Heartbeat = heartbeat });

        var listed = await Eventually.GetValueAsync(
            async () =>
            {
                using var json = JsonDocument.Parse(await server.Http.GetStringAsync("/api/nodes/barn/plugins"));
                return json.RootElement.GetProperty("instances").GetArrayLength() == 1 ? json.RootElement.Clone() : default(JsonElement?);
            },
            Timeout,
            "the heartbeat's plugins");
        var installed = Assert.Single(listed.GetProperty("installed").EnumerateArray());
        Assert.Equal("2.0.0", installed.GetProperty("version").GetString());
        Assert.Equal("object", installed.GetProperty("settingsSchema").GetProperty("type").GetString());
        var instance = Assert.Single(listed.GetProperty("instances").EnumerateArray());
        Assert.Equal(3, instance.GetProperty("callsOverBudget").GetInt64());
        Assert.Equal("new settings not applied", instance.GetProperty("warning").GetString());
    }
}
