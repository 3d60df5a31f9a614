using System.Reflection;
using System.Runtime.Loader;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// One collectible load context per plugin: the plugin's own dependencies come from its folder (through its
/// .deps.json), while the SDK and the logging abstractions it exposes come from the host, so the types a plugin
/// implements are the very types the host calls.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    /// <summary>Assemblies whose types cross the boundary; a plugin's own copy of them is ignored.</summary>
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        "CctvEdge.Plugins.Sdk",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    };

    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _folder;

    public PluginLoadContext(string pluginId, string mainAssemblyPath)
        : base("plugin:" + pluginId, isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || Shared.Contains(assemblyName.Name))
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
