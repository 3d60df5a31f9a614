using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// The plugin folders under the plugins directory, each loaded into its own collectible context. A bad plugin is
/// marked failed, never fatal. <see cref="Apply"/> takes a new scan of the directory: new folders are loaded, changed
/// ones loaded again as a new version, removed ones dropped; what it replaced is returned to be unloaded once its
/// instances have stopped.
/// </summary>
internal sealed partial class PluginCatalog
{
    /// <summary>Assemblies whose types cross the boundary; a plugin's own copy of them is ignored.</summary>
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        "CctvEdge.Plugins.Sdk",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        // ISensorHardware hands out I2C, SPI and GPIO devices: the plugin and the node must mean the same types.
        "System.Device.Gpio",
    };

    private readonly PluginLoadRules _rules;
    private readonly ILogger<PluginCatalog> _logger;
    private IReadOnlyList<InstalledPlugin> _plugins = [];
    private IReadOnlyDictionary<string, string> _fingerprints = new Dictionary<string, string>();

    /// <param name="shadowDirectory">Where plugin folders are copied before loading; emptied now.</param>
    public PluginCatalog(string shadowDirectory, ILogger<PluginCatalog> logger)
    {
        ShadowCopy.Reset(shadowDirectory);
        _rules = new PluginLoadRules(typeof(ICameraPlugin).Assembly, PluginAbi.Version, typeof(ICameraPlugin), Shared, shadowDirectory) { OtherContracts = [typeof(ISensorPlugin)] };
        _logger = logger;
    }

    /// <summary>Every plugin folder, loaded or failed, in folder order.</summary>
    public IReadOnlyList<InstalledPlugin> Plugins => Volatile.Read(ref _plugins);

    /// <summary>The folders as last applied, to tell the watcher what is already known.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints => _fingerprints;

    /// <summary>Counts changes, so the uplink can tell the server when the installed plugins changed.</summary>
    public int Generation { get; private set; }

    public InstalledPlugin? Find(string id) => Plugins.FirstOrDefault(p => p.Id == id && p.IsLoaded) ?? Plugins.FirstOrDefault(p => p.Id == id);

    public InstalledPlugin Load(string folder) => InstalledPlugin.From(PluginLoad.From(folder, _rules));

    public void LoadAll(string pluginsDirectory)
    {
        if (!Directory.Exists(pluginsDirectory))
        {
            LogNoPluginsDirectory(_logger, pluginsDirectory);
        }

        Apply(PluginDirectoryWatcher.Scan(pluginsDirectory));
    }

    /// <summary>Brings the catalog in line with a scan; returns the plugins it replaced or removed, to unload later.</summary>
    public IReadOnlyList<InstalledPlugin> Apply(IReadOnlyDictionary<string, string> scan)
    {
        var retired = new List<InstalledPlugin>();
        var kept = new List<InstalledPlugin>();
        foreach (var plugin in Plugins)
        {
            var unchanged = scan.TryGetValue(plugin.Folder, out var print) && _fingerprints.TryGetValue(plugin.Folder, out var old) && print == old;
            (unchanged ? kept : retired).Add(plugin);
        }

        foreach (var folder in scan.Keys.Order(StringComparer.Ordinal).Where(f => !kept.Any(p => p.Folder == f)))
        {
            var plugin = Load(folder);
            if (plugin.IsLoaded && kept.FirstOrDefault(p => p.Id == plugin.Id && p.IsLoaded) is { } first)
            {
                plugin.Load.Unload();
                plugin = new InstalledPlugin(PluginLoad.Failed(plugin.Id, folder, plugin.Manifest, $"plugin id '{plugin.Id}' is already provided by '{first.Folder}'."), "");
            }

            kept.Add(plugin);
            if (plugin.IsLoaded)
            {
                LogLoaded(_logger, plugin.Id, plugin.Version, folder);
            }
            else
            {
                LogFailed(_logger, plugin.Id, folder, plugin.Error!);
            }
        }

        foreach (var plugin in retired)
        {
            LogRetired(_logger, plugin.Id, plugin.Version, plugin.Folder);
        }

        _fingerprints = scan;
        Volatile.Write(ref _plugins, [.. kept.OrderBy(p => p.Folder, StringComparer.Ordinal)]);
        Generation++;
        return retired;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} loaded from {Folder}.")]
    private static partial void LogLoaded(ILogger logger, string pluginId, string version, string folder);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Plugin {PluginId} in {Folder} failed to load: {Error}")]
    private static partial void LogFailed(ILogger logger, string pluginId, string folder, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Plugins directory {Directory} does not exist; it is watched for plugins to appear.")]
    private static partial void LogNoPluginsDirectory(ILogger logger, string directory);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} in {Folder} was replaced or removed; it is unloaded once its instances have stopped.")]
    private static partial void LogRetired(ILogger logger, string pluginId, string version, string folder);
}
