using System.Reflection;
using System.Runtime.Loader;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// One collectible load context per plugin: the plugin's own dependencies come from its folder (through its
/// .deps.json), while the assemblies whose types cross the boundary (the SDK, the logging abstractions it exposes) come
/// from the host, so the types a plugin implements are the very types the host calls.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _folder;
    private readonly IReadOnlySet<string> _shared;

    /// <param name="pluginId">Names the context in diagnostics.</param>
    /// <param name="mainAssemblyPath">The plugin's entry assembly; its folder is the only place dependencies may come from.</param>
    /// <param name="shared">Assembly names always taken from the host; a plugin's own copy of them is ignored.</param>
    public PluginLoadContext(string pluginId, string mainAssemblyPath, IReadOnlySet<string> shared)
        : base("plugin:" + pluginId, isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
        _shared = shared;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || _shared.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        // Null falls back to the default context: the framework and the host's shared assemblies.
        return path is not null && PathConfinement.IsInside(_folder, Path.GetFullPath(path)) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is not null && PathConfinement.IsInside(_folder, Path.GetFullPath(path)) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
