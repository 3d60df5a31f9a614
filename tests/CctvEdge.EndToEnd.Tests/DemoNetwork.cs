using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// A server process and a node process with one synthetic camera, as the demo runs them, in temporary folders.
/// The node's plugins folder holds the built-in motion plugin and a broken plugin, as an installer might leave it.
/// </summary>
internal sealed class DemoNetwork : IAsyncDisposable
{
    private readonly TempDirectory _root = new("cctvedge-e2e");

    private DemoNetwork()
    {
    }

    public ServerProcess Server { get; private set; } = null!;

    public ChildProcess Node { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public static async Task<DemoNetwork> StartAsync()
    {
        var network = new DemoNetwork();
        try
        {
            await network.StartProcessesAsync().ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Polls the REST API until <paramref name="count"/> motion events are stored.</summary>
    public Task<JsonElement[]> WaitForEventsAsync(int count, TimeSpan timeout) =>
        Eventually.GetAsync(async () =>
        {
            var events = await Http.GetFromJsonAsync<JsonElement[]>("api/events?limit=100").ConfigureAwait(false);
            return events is not null && events.Length >= count ? events : null;
        }, timeout, $"{count} motion event(s) stored; node log:{Environment.NewLine}{Node.Output}");

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Node is not null)
        {
            await Node.DisposeAsync().ConfigureAwait(false);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }

        _root.Dispose();
    }

    private async Task StartProcessesAsync()
    {
        var serverData = _root.Combine("server");
        Directory.CreateDirectory(serverData);
        Server = await ServerProcess.StartAsync(serverData).ConfigureAwait(false);
        Http = new HttpClient { BaseAddress = Server.WebAddress, Timeout = TimeSpan.FromSeconds(20) };

        var plugins = _root.Combine("plugins");
        CopyDirectory(Path.Combine(RepositoryPaths.NodePluginsDirectory, "motion"), Path.Combine(plugins, "motion"));
        Directory.CreateDirectory(Path.Combine(plugins, "broken"));
        await File.WriteAllTextAsync(Path.Combine(plugins, "broken", "plugin.json"), "{ this is not json").ConfigureAwait(false);

        var config = _root.Combine("node.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Node = new { Id = "e2e-node", Name = "E2E node", DataDirectory = _root.Combine("node"), PluginsDirectory = plugins },
            Server = new { Address = Server.GrpcAddress.ToString(), ReconnectMaxSeconds = 2 },
            Cameras = new[]
            {
                new
                {
                    Id = "yard",
                    Name = "Yard",
                    Source = new { Kind = "synthetic", Width = 1280, Height = 720, Fps = 15 },
                    Detect = new { Width = 320, Height = 180, Fps = 5 },
                    SnapshotSeconds = 2,
                    Plugins = new Dictionary<string, object> { ["motion"] = new { GapSeconds = 1 }, ["broken"] = new { } },
                },
            },
        })).ConfigureAwait(false);
        Node = ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", config], _root.Path);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
