using System.Reflection;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// One plugin folder after loading: its entry type in its own collectible load context, or why it failed. Each load
/// of a folder (a new version dropped in) is a new <see cref="PluginLoad"/> with a new McMaster
/// <see cref="PluginLoader"/>, over a fresh shadow copy of the folder.
/// </summary>
/// <remarks>
/// Why shadow copies rather than McMaster's <c>LoadInMemory</c>: in memory, only the assemblies read so far are
/// snapshots; a dependency the plugin first touches minutes later is read from the original folder, which may by then
/// hold half of the next version. The copy is one consistent version for the plugin's whole life, natives included,
/// <c>Assembly.Location</c> stays a real path (plugins find their models and data beside themselves), and the
/// confinement check after loading can see where each assembly came from.
/// </remarks>
public sealed class PluginLoad
{
    private PluginLoader? _loader;
    private string? _shadow;

    private PluginLoad(string id, string folder, PluginManifest? manifest, Type? entryType, string? error, PluginLoader? loader, AssemblyLoadContext? context, string? shadow)
    {
        Id = id;
        Folder = folder;
        Manifest = manifest;
        EntryType = entryType;
        Error = error;
        _loader = loader;
        _shadow = shadow;
        Context = new WeakReference(context);
    }

    public string Id { get; }

    /// <summary>The folder in the plugins directory this was loaded from.</summary>
    public string Folder { get; }

    public PluginManifest? Manifest { get; }

    /// <summary>The manifest's entry type; null when the load failed.</summary>
    public Type? EntryType { get; }

    /// <summary>Null when the plugin loaded; otherwise why it did not, in words an installer can act on.</summary>
    public string? Error { get; }

    public bool IsLoaded => Error is null;

    /// <summary>The load context, weakly: tests and diagnostics see whether an unloaded plugin was really collected.</summary>
    public WeakReference Context { get; }

    /// <summary>Loads <paramref name="folder"/> by <paramref name="rules"/>; never throws for a bad plugin.</summary>
    public static PluginLoad From(string folder, PluginLoadRules rules)
    {
        var fallbackId = Path.GetFileName(folder).ToLowerInvariant();
        PluginManifest? manifest = null;
        string? shadow = null;
        PluginLoader? loader = null;
        try
        {
            manifest = PluginManifest.Read(folder);
            if (manifest.SdkAbi != rules.AbiVersion)
            {
                throw new PluginLoadException($"built for plugin SDK ABI {manifest.SdkAbi}, but this host speaks ABI {rules.AbiVersion}; rebuild it against a matching {rules.SdkName}.");
            }

            var original = manifest.ResolveAssemblyPath(folder);
            shadow = ShadowCopy.Create(folder, rules.ShadowDirectory, manifest.Id);
            var assemblyPath = Path.Combine(shadow, Path.GetRelativePath(Path.GetFullPath(folder), original));
            PluginConfinement.CheckInputs(shadow, assemblyPath);
            loader = CreateLoader(assemblyPath, rules);
            var assembly = loader.LoadDefaultAssembly();
            CheckSdkReference(assembly, rules);
            var entryType = FindEntryType(assembly, manifest, rules.Contracts);
            var context = AssemblyLoadContext.GetLoadContext(assembly)!;
            PluginConfinement.CheckLoaded(context, shadow);
            return new PluginLoad(manifest.Id, folder, manifest, entryType, null, loader, context, shadow);
        }
        catch (Exception ex) when (ex is PluginLoadException or BadImageFormatException or FileLoadException or FileNotFoundException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            loader?.Dispose();
            if (shadow is not null)
            {
                ShadowCopy.Delete(shadow);
            }

            var error = ex is PluginLoadException ? ex.Message : $"its assembly could not be loaded: {ex.Message}";
            return Failed(manifest?.Id ?? fallbackId, folder, manifest, error);
        }
    }

    public static PluginLoad Failed(string id, string folder, PluginManifest? manifest, string error) => new(id, folder, manifest, null, error, null, null, null);

    /// <summary>Creates an instance of the entry type through its public parameterless constructor.</summary>
    public object CreateInstance() =>
        EntryType is null ? throw new InvalidOperationException($"Plugin '{Id}' is not loaded: {Error}") : Activator.CreateInstance(EntryType)!;

    /// <summary>
    /// Lets the runtime collect the plugin's code once nothing refers to it any more, and removes its shadow copy.
    /// Call it after every instance is disposed; a thread still inside the plugin delays the collection, not this call.
    /// </summary>
    public void Unload()
    {
        // Disposing an unloadable loader unloads its context; dropping our reference lets the GC collect it.
        Interlocked.Exchange(ref _loader, null)?.Dispose();
        if (Interlocked.Exchange(ref _shadow, null) is { } shadow)
        {
            ShadowCopy.Delete(shadow);
        }
    }

    /// <summary>
    /// One McMaster loader for the folder: collectible, the SDK (and what its signatures expose) taken from the host so
    /// the plugin implements the host's very types, everything else from the plugin's folder first. McMaster's own
    /// hot reload stays off: it reloads on the first changed file, where our watcher waits for the folder to settle.
    /// </summary>
    private static PluginLoader CreateLoader(string assemblyPath, PluginLoadRules rules) =>
        PluginLoader.CreateFromAssemblyFile(
            assemblyPath,
            isUnloadable: true,
            sharedTypes: [.. rules.Contracts],
            config =>
            {
                foreach (var name in rules.Shared)
                {
                    config.SharedAssemblies.Add(new AssemblyName(name));
                }

                config.PreferSharedTypes = false;
                config.LoadInMemory = false;
                config.EnableHotReload = false;
            });

    /// <summary>
    /// Refuses a plugin built against another major version of the SDK (another ABI) or a newer one than the host's
    /// (it may call members the host does not have, which would only fail when first called).
    /// </summary>
    private static void CheckSdkReference(Assembly assembly, PluginLoadRules rules)
    {
        var reference = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == rules.SdkName)?.Version;
        var host = rules.SdkVersion;
        if (reference is null)
        {
            return;
        }

        if (reference.Major != host.Major)
        {
            throw new PluginLoadException($"built against {rules.SdkName} {reference.ToString(3)} (ABI {reference.Major}), but this host speaks ABI {rules.AbiVersion} ({host.ToString(3)}); rebuild it against {rules.SdkName} {host.Major}.x.");
        }

        if (reference > host)
        {
            throw new PluginLoadException($"built against {rules.SdkName} {reference.ToString(3)}, newer than this host's {host.ToString(3)}; update the host or build against an older SDK.");
        }
    }

    private static Type FindEntryType(Assembly assembly, PluginManifest manifest, IReadOnlyList<Type> contracts)
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
        if (!contracts.Any(c => c.IsAssignableFrom(type)))
        {
            var names = string.Join(" or ", contracts.Select(c => c.Name));
            throw new PluginLoadException($"entry type '{manifest.EntryType}' does not implement {names} from {contracts[0].Assembly.GetName().Name}.");
        }

        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"entry type '{manifest.EntryType}' needs a public parameterless constructor.");
        }

        return type;
    }
}
