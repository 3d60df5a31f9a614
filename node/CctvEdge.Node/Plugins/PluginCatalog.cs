using System.Reflection;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>A plugin folder after loading: either ready to create instances, or failed with a reason.</summary>
internal sealed class InstalledPlugin
{
    private readonly Type? _entryType;

    private InstalledPlugin(string id, string folder, PluginManifest? manifest, Type? entryType, string? error)
    {
        Id = id;
        Folder = folder;
        Manifest = manifest;
        _entryType = entryType;
        Error = error;
    }

    public string Id { get; }

    public string Folder { get; }

    public PluginManifest? Manifest { get; }

    public string Version => Manifest?.Version ?? "";

    public string Description => Manifest?.Description ?? "";

    /// <summary>Null when the plugin loaded; otherwise why it did not.</summary>
    public string? Error { get; }

    public bool IsLoaded => Error is null;

    public static InstalledPlugin Loaded(string folder, PluginManifest manifest, Type entryType) => new(manifest.Id, folder, manifest, entryType, null);

    public static InstalledPlugin Failed(string id, string folder, PluginManifest? manifest, string error) => new(id, folder, manifest, null, error);

    /// <summary>A fresh instance for one camera.</summary>
    public ICameraPlugin CreateInstance() =>
        _entryType is null
            ? throw new InvalidOperationException($"Plugin '{Id}' is not loaded: {Error}")
            : (ICameraPlugin)Activator.CreateInstance(_entryType)!;
}

/// <summary>Loads every plugin folder under the plugins directory. A bad plugin is marked failed, never fatal.</summary>
internal sealed partial class PluginCatalog(ILogger<PluginCatalog> logger)
{
    private readonly List<InstalledPlugin> _plugins = [];

    public IReadOnlyList<InstalledPlugin> Plugins => _plugins;

    public InstalledPlugin? Find(string id) => _plugins.FirstOrDefault(p => p.Id == id && p.IsLoaded) ?? _plugins.FirstOrDefault(p => p.Id == id);

    public void LoadAll(string pluginsDirectory)
    {
        if (!Directory.Exists(pluginsDirectory))
        {
            LogNoPluginsDirectory(logger, pluginsDirectory);
            return;
        }

        foreach (var folder in Directory.GetDirectories(pluginsDirectory).Order(StringComparer.Ordinal))
        {
            var plugin = Load(folder);
            if (plugin.IsLoaded && _plugins.Any(p => p.Id == plugin.Id && p.IsLoaded))
            {
                var first = _plugins.First(p => p.Id == plugin.Id);
                plugin = InstalledPlugin.Failed(plugin.Id, folder, plugin.Manifest, $"plugin id '{plugin.Id}' is already provided by '{first.Folder}'.");
            }

            _plugins.Add(plugin);
            if (plugin.IsLoaded)
            {
                LogLoaded(logger, plugin.Id, plugin.Version, folder);
            }
            else
            {
                LogFailed(logger, plugin.Id, folder, plugin.Error!);
            }
        }
    }

    internal static InstalledPlugin Load(string folder)
    {
        var fallbackId = Path.GetFileName(folder).ToLowerInvariant();
        PluginManifest? manifest = null;
        try
        {
            manifest = PluginManifest.Read(folder);
            if (manifest.SdkAbi != PluginAbi.Version)
            {
                throw new PluginLoadException($"built for plugin SDK ABI {manifest.SdkAbi}, but this node speaks ABI {PluginAbi.Version}; rebuild it against a matching CctvEdge.Plugins.Sdk.");
            }

            var assemblyPath = manifest.ResolveAssemblyPath(folder);
            var context = new PluginLoadContext(manifest.Id, assemblyPath);
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var entryType = FindEntryType(assembly, manifest);
            return InstalledPlugin.Loaded(folder, manifest, entryType);
        }
        catch (PluginLoadException ex)
        {
            return InstalledPlugin.Failed(manifest?.Id ?? fallbackId, folder, manifest, ex.Message);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            return InstalledPlugin.Failed(manifest?.Id ?? fallbackId, folder, manifest, $"its assembly could not be loaded: {ex.Message}");
        }
    }

    private static Type FindEntryType(Assembly assembly, PluginManifest manifest)
    {
        try
        {
            // Load every type now: a missing dependency should fail here, at install time, not in the frame loop.
            _ = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var reasons = ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct().Take(3);
            throw new PluginLoadException($"its types could not be loaded: {string.Join("; ", reasons)}");
        }

        var type = assembly.GetType(manifest.EntryType)
            ?? throw new PluginLoadException($"entry type '{manifest.EntryType}' is not in {manifest.Assembly}.");
        if (!typeof(ICameraPlugin).IsAssignableFrom(type))
        {
            throw new PluginLoadException($"entry type '{manifest.EntryType}' does not implement {nameof(ICameraPlugin)} from CctvEdge.Plugins.Sdk.");
        }

        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"entry type '{manifest.EntryType}' needs a public parameterless constructor.");
        }

        return type;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} loaded from {Folder}.")]
    private static partial void LogLoaded(ILogger logger, string pluginId, string version, string folder);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Plugin {PluginId} in {Folder} failed to load: {Error}")]
    private static partial void LogFailed(ILogger logger, string pluginId, string folder, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Plugins directory {Directory} does not exist; no plugins loaded.")]
    private static partial void LogNoPluginsDirectory(ILogger logger, string directory);
}
