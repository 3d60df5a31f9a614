using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Keeps the cameras and one plugin instance for every enabled camera-plugin pair running while both change under
/// it: plugin folders added, replaced or removed (the old version drained and unloaded, the new one started), and
/// configuration changes from the local file or the fleet hub (cameras added, changed or removed; plugins enabled,
/// disabled or given new settings). All changes are applied one at a time, by one loop.
/// </summary>
internal sealed partial class PluginHost(
    PluginCatalog catalog,
    CameraConfiguration config,
    CameraFleet cameras,
    IResultOutbox outbox,
    ClipQueue clipQueue,
    IOptions<NodeOptions> node,
    TimeProvider clock,
    ILoggerFactory loggers,
    UploadPolicy uploadPolicy) : IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<PluginHost>();
    private readonly AsyncSignal _configChanged = new();
    private readonly CallLimits _limits = new(TimeSpan.FromMilliseconds(node.Value.PluginCallBudgetMilliseconds), TimeSpan.FromSeconds(node.Value.PluginHangSeconds));
    private IReadOnlyList<PluginInstance> _instances = [];
    private CancellationToken _camerasStop;

    public IReadOnlyList<PluginInstance> Instances => Volatile.Read(ref _instances);

    public PluginCatalog Catalog => catalog;

    /// <summary>The cameras now running.</summary>
    public IReadOnlyList<CameraWorker> Cameras => cameras.Workers;

    /// <summary>
    /// Loads the plugins directory, starts the cameras and the instances the config asks for; the cameras run until
    /// <paramref name="camerasStop"/> or <see cref="DisposeAsync"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken camerasStop, CancellationToken cancellationToken)
    {
        _camerasStop = camerasStop;
        catalog.LoadAll(node.Value.ResolvedPluginsDirectory);
        config.Changed += _configChanged.Set;
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies plugin folder changes and config reloads as they come, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var options = node.Value;
        using var watcher = new PluginDirectoryWatcher(options.ResolvedPluginsDirectory, TimeSpan.FromMilliseconds(options.PluginQuietMilliseconds), TimeSpan.FromSeconds(options.PluginRescanSeconds));
        var folders = watcher.WaitForChangeAsync(catalog.Fingerprints, stop);
        if (watcher.EventsProblem is { } problem)
        {
            LogNoEvents(_logger, problem, options.PluginRescanSeconds);
        }

        var settings = _configChanged.WaitAsync(Timeout.InfiniteTimeSpan, stop);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(folders, settings).ConfigureAwait(false) == folders)
                {
                    var retired = catalog.Apply(await folders.ConfigureAwait(false));
                    await ReconcileAsync(stop).ConfigureAwait(false);
                    foreach (var plugin in retired)
                    {
                        plugin.Load.Unload();
                    }

                    folders = watcher.WaitForChangeAsync(catalog.Fingerprints, stop);
                }
                else
                {
                    await settings.ConfigureAwait(false);
                    await ReconcileAsync(stop).ConfigureAwait(false);
                    settings = _configChanged.WaitAsync(Timeout.InfiniteTimeSpan, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        config.Changed -= _configChanged.Set;
        await cameras.DisposeAsync().ConfigureAwait(false);
        // All at once: each drains on its own, so one slow plugin costs the stop its drain timeout once, not per camera.
        await Task.WhenAll(Interlocked.Exchange(ref _instances, []).Select(i => i.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var configured = config.Current.Items;
        await cameras.ApplyAsync(configured, _camerasStop).ConfigureAwait(false);
        var assignments = PluginAssignment.ForCameras(configured);
        var current = Instances;
        var next = new List<PluginInstance>();
        var considered = new List<PluginInstance>();
        foreach (var camera in cameras.Workers)
        {
            var clips = new ClipRecorder(camera.Camera, clipQueue, uploadPolicy, camera.Events.Recent);
            foreach (var assignment in assignments.GetValueOrDefault(camera.Camera.Id, []).Where(a => a.Enabled))
            {
                // An instance watching a worker that was replaced (new video settings) goes with it.
                var running = current.FirstOrDefault(i => ReferenceEquals(i.Camera, camera) && i.PluginId == assignment.PluginId);
                var plugin = catalog.Find(assignment.PluginId);
                if (running is not null)
                {
                    considered.Add(running);
                }

                var instance = await ReconcileOneAsync(running, plugin, () => PluginInstance.Create(camera, plugin, assignment, outbox, clips, _limits, clock, loggers), assignment, cancellationToken).ConfigureAwait(false);
                next.Add(instance);
            }
        }

        foreach (var gone in current.Where(i => !considered.Contains(i)))
        {
            LogStopped(_logger, gone.PluginId, gone.CameraId);
            await gone.DisposeAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _instances, next);
    }

    private async Task<PluginInstance> ReconcileOneAsync(PluginInstance? running, InstalledPlugin? plugin, Func<PluginInstance> create, PluginAssignment assignment, CancellationToken cancellationToken)
    {
        if (running is not null && ReferenceEquals(running.Plugin, plugin))
        {
            if (running.Assignment.SameSettings(assignment) || running.Refused?.SameSettings(assignment) == true)
            {
                return running;
            }

            if (running.CanReconfigure)
            {
                await running.ReconfigureAsync(assignment, cancellationToken).ConfigureAwait(false);
                return running;
            }
        }

        var fresh = create();
        if (running is null)
        {
            await fresh.StartAsync(cancellationToken).ConfigureAwait(false);
            return fresh;
        }

        // A new version, or new settings for a plugin that cannot take them while running: start the new instance
        // before stopping the old, so new settings that do not work leave the old instance running.
        var prepared = await fresh.PrepareAsync(cancellationToken).ConfigureAwait(false);
        if (!prepared && ReferenceEquals(running.Plugin, plugin) && running.State == InstanceState.Running)
        {
            running.RefuseSettings(assignment, fresh.Error);
            await fresh.DisposeAsync().ConfigureAwait(false);
            return running;
        }

        LogReplacing(_logger, running.PluginId, running.CameraId, running.Version, fresh.Version);
        await running.DisposeAsync().ConfigureAwait(false);
        if (prepared)
        {
            fresh.Attach();
        }

        return fresh;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Plugin {PluginId} on camera {CameraId} stopped: disabled, removed from the config, or its camera changed or went.")]
    private static partial void LogStopped(ILogger logger, string pluginId, string cameraId);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Plugin {PluginId} on camera {CameraId}: replacing {OldVersion} with {NewVersion}.")]
    private static partial void LogReplacing(ILogger logger, string pluginId, string cameraId, string oldVersion, string newVersion);

    [LoggerMessage(EventId = 322, Level = LogLevel.Warning, Message = "The plugins directory cannot be watched ({Problem}); changes are found by rescans every {Seconds} s.")]
    private static partial void LogNoEvents(ILogger logger, string problem, double seconds);
}
