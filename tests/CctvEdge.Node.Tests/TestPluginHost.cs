using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Uplink.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary>
/// A plugin host as the node builds it, over a temporary plugins directory and a config the test edits and reloads,
/// with one test camera whose frames the test feeds. Quick rescans and a short quiet period keep the tests fast.
/// </summary>
internal sealed class TestPluginHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IConfigurationRoot _configuration;
    private Task _running = Task.CompletedTask;

    private TestPluginHost(PluginFolders folders, TestOutbox outbox, string cameraDirectory, IConfigurationRoot configuration, NodeOptions options)
    {
        Folders = folders;
        _configuration = configuration;
        Cameras = new CameraConfiguration(Options.Create(NodeConfiguration.ReadCameras(configuration)));
        Reloader = new LocalConfigReloader(configuration, Cameras, new NodeConfigurationValidator(), NullLogger<LocalConfigReloader>.Instance);
        // Workers are fed by the test, not by ffmpeg: they are created but not run.
        var fleet = new CameraFleet(c => TestCamera.Create(Path.Combine(cameraDirectory, c.Id), options: c), (_, stop) => Task.Delay(Timeout.Infinite, stop));
        Host = new PluginHost(folders.Catalog(), Cameras, fleet, outbox.Results, outbox.Clips, Options.Create(options), TimeProvider.System, NullLoggerFactory.Instance, UploadPolicy.SendAll);
    }

    public PluginFolders Folders { get; }

    /// <summary>The camera "yard"'s worker now running.</summary>
    public CameraWorker Camera => Host.Cameras.Single(c => c.Camera.Id == "yard");

    public PluginHost Host { get; }

    public CameraConfiguration Cameras { get; }

    public LocalConfigReloader Reloader { get; }

    /// <summary>Starts a host whose camera "yard" has the given plugin settings (<c>pluginId:Key</c> to value).</summary>
    public static async Task<TestPluginHost> StartAsync(PluginFolders folders, TestOutbox outbox, string cameraDirectory, Dictionary<string, string?> plugins, double hangSeconds = 30)
    {
        var settings = new Dictionary<string, string?> { ["Cameras:0:Id"] = "yard", ["Cameras:0:Source:Kind"] = "synthetic" };
        foreach (var (key, value) in plugins)
        {
            settings["Cameras:0:Plugins:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new NodeOptions { Id = "test", PluginsDirectory = folders.Directory, PluginQuietMilliseconds = 100, PluginRescanSeconds = 0.5, PluginCallBudgetMilliseconds = 100, PluginHangSeconds = hangSeconds };
        var host = new TestPluginHost(folders, outbox, cameraDirectory, configuration, options);
        await host.Host.StartAsync(host._stop.Token, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        host._running = host.Host.RunAsync(host._stop.Token);
        return host;
    }

    public PluginInstance? Instance(string pluginId) => Host.Instances.FirstOrDefault(i => i.PluginId == pluginId);

    /// <summary>Changes one plugin setting (null removes it) and reloads the config, as an edit of the file would.</summary>
    public void SetAndReload(string key, string? value)
    {
        _configuration["Cameras:0:Plugins:" + key] = value;
        _configuration.Reload();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(20));
        await Host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Reloader.Dispose();
        _stop.Dispose();
    }
}
