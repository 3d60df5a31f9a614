using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Server.Processors.Media;
using CctvEdge.Server.Storage;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Processors;

/// <summary>
/// Server plugins loaded the way the node loads its plugins (a folder per processor with a plugin.json, its own
/// collectible McMaster loader, the SDK shared, paths confined, types loaded up front) and, like the node's, added,
/// replaced and removed while the server runs. Each stored batch is handed to every running processor's queue after
/// its transaction has committed; nothing a processor does can slow ingest or fail it. Runs on every replica, not only
/// the leader: each replica processes what it ingested itself.
/// </summary>
internal sealed partial class ProcessorHost(IOptions<ProcessorOptions> options, IOptions<ServerOptions> server, ProcessorMedia media, TimeProvider clock, ILoggerFactory loggers) : IHostedService, IIngestListener, IClipListener, IDisposable
{
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        "CctvEdge.Server.Plugins.Sdk",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    };

    private readonly ILogger _logger = loggers.CreateLogger<ProcessorHost>();
    private IReadOnlyList<ProcessorInstance> _instances = [];
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyDictionary<string, string> _folders = new Dictionary<string, string>();
    private Task _watching = Task.CompletedTask;

    public IReadOnlyList<ProcessorInstance> Instances => Volatile.Read(ref _instances);

    public void OnStored(string nodeId, IReadOnlyList<Result> stored)
    {
        var instances = Instances;
        if (instances.Count == 0)
        {
            return;
        }

        var batch = StoredResultMapper.Map(nodeId, stored);
        foreach (var instance in instances)
        {
            instance.Offer(batch);
        }
    }

    public void OnClipStored(ClipRow clip)
    {
        var stored = new StoredClipFile(
            clip.NodeId,
            clip.CameraId,
            clip.Id,
            clip.EventId,
            DateTimeOffset.FromUnixTimeMilliseconds(clip.StartMs),
            DateTimeOffset.FromUnixTimeMilliseconds(clip.EndMs),
            clip.Size);
        foreach (var instance in Instances)
        {
            instance.OfferClip(stored);
        }
    }

    /// <summary>Loads the processors before the server takes results, then follows the directory in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var shadow = Path.Combine(server.Value.ResolvedDataDirectory, "processor-shadow");
        ShadowCopy.Reset(shadow);
        var rules = new PluginLoadRules(typeof(IResultProcessor).Assembly, ProcessorAbi.Version, typeof(IResultProcessor), Shared, shadow);
        await ApplyAsync(PluginDirectoryWatcher.Scan(settings.ResolvedDirectory), rules, cancellationToken).ConfigureAwait(false);
        _watching = Task.Run(() => WatchAsync(rules, _stop.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        foreach (var instance in Interlocked.Exchange(ref _instances, []))
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task WatchAsync(PluginLoadRules rules, CancellationToken stop)
    {
        var settings = options.Value;
        using var watcher = new PluginDirectoryWatcher(settings.ResolvedDirectory, TimeSpan.FromMilliseconds(settings.QuietMilliseconds), TimeSpan.FromSeconds(settings.RescanSeconds));
        try
        {
            while (true)
            {
                await ApplyAsync(await watcher.WaitForChangeAsync(_folders, stop).ConfigureAwait(false), rules, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Loads new and changed folders, stops (drains, disposes, unloads) processors whose folder changed or went.</summary>
    private async Task ApplyAsync(IReadOnlyDictionary<string, string> scan, PluginLoadRules rules, CancellationToken cancellationToken)
    {
        var kept = new List<ProcessorInstance>();
        foreach (var instance in Instances)
        {
            if (scan.TryGetValue(instance.Load.Folder, out var print) && _folders.TryGetValue(instance.Load.Folder, out var old) && print == old)
            {
                kept.Add(instance);
                continue;
            }

            LogRetired(_logger, instance.Id, instance.Version);
            await instance.DisposeAsync().ConfigureAwait(false);
            instance.Load.Unload();
        }

        var settings = options.Value;
        foreach (var folder in scan.Keys.Order(StringComparer.Ordinal).Where(f => !kept.Any(i => i.Load.Folder == f)))
        {
            var load = PluginLoad.From(folder, rules);
            if (load.IsLoaded && kept.Any(i => i.Id == load.Id && i.Load.IsLoaded))
            {
                load.Unload();
                load = PluginLoad.Failed(load.Id, folder, load.Manifest, $"processor id '{load.Id}' is already provided by another folder.");
            }

            var instance = new ProcessorInstance(load, settings, loggers.CreateLogger("Processor." + load.Id));
            var section = settings.Settings.GetValueOrDefault(load.Id);
            var dataDirectory = Path.Combine(server.Value.ResolvedDataDirectory, "processors", load.Id);
            Directory.CreateDirectory(dataDirectory);
            var context = new ProcessorContext(load.Id, section, dataDirectory, loggers.CreateLogger("Processor." + load.Id), clock, media.For(load.Id));
            await instance.StartAsync(context, enabled: section?["Enabled"] is not { } on || !bool.TryParse(on, out var enabled) || enabled, cancellationToken).ConfigureAwait(false);
            kept.Add(instance);
        }

        _folders = scan;
        Volatile.Write(ref _instances, kept);
    }

    [LoggerMessage(EventId = 74, Level = LogLevel.Information, Message = "Processor {ProcessorId} {Version} was replaced or removed; stopping and unloading it.")]
    private static partial void LogRetired(ILogger logger, string processorId, string version);
}
