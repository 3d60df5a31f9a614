using System.Runtime.Loader;
using System.Text.Json;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// Keeps a plugin's code inside its folder. McMaster's loader finds a plugin's files from three inputs: the main
/// assembly's <c>.deps.json</c> (through the runtime's AssemblyDependencyResolver), the <c>additionalProbingPaths</c> of
/// its <c>.runtimeconfig.json</c> and <c>.runtimeconfig.dev.json</c>, and the folder itself. The first two are the
/// plugin author's to write, so a path in them that leaves the folder is refused before the loader is built; after
/// loading, every assembly the plugin's context holds is checked again, in case a resolution we did not foresee
/// (a host probing path, a future version of the library) brought one in from elsewhere.
/// </summary>
public static class PluginConfinement
{
    private static readonly string[] AssetKinds = ["runtime", "native", "resources", "runtimeTargets"];

    /// <summary>Throws <see cref="PluginLoadException"/> when the plugin's deps.json or runtimeconfig points outside <paramref name="folder"/>.</summary>
    public static void CheckInputs(string folder, string mainAssemblyPath)
    {
        var root = Path.GetFullPath(folder);
        var deps = Path.ChangeExtension(mainAssemblyPath, ".deps.json");
        if (File.Exists(deps))
        {
            foreach (var path in ReadJson(deps, DepsPaths))
            {
                Require(root, path, Path.GetFileName(deps));
            }
        }

        foreach (var config in new[] { ".runtimeconfig.json", ".runtimeconfig.dev.json" }.Select(e => Path.ChangeExtension(mainAssemblyPath, e)).Where(File.Exists))
        {
            foreach (var path in ReadJson(config, ProbingPaths))
            {
                Require(root, path, Path.GetFileName(config));
            }
        }
    }

    /// <summary>Throws <see cref="PluginLoadException"/> when an assembly in <paramref name="context"/> did not come from <paramref name="folder"/>.</summary>
    public static void CheckLoaded(AssemblyLoadContext context, string folder)
    {
        var root = Path.GetFullPath(folder);
        foreach (var assembly in context.Assemblies)
        {
            // An empty location means bytes loaded from memory: nothing says where they came from, so they are refused too.
            var location = assembly.Location;
            if (location.Length == 0 || !PathConfinement.IsInside(root, Path.GetFullPath(location)))
            {
                throw new PluginLoadException($"{assembly.GetName().Name} was resolved from '{(location.Length == 0 ? "memory" : location)}', outside the plugin's folder.");
            }
        }
    }

    private static void Require(string root, string path, string file)
    {
        if (Path.IsPathRooted(path) || !PathConfinement.IsInside(root, Path.GetFullPath(Path.Combine(root, path))))
        {
            throw new PluginLoadException($"{file} names '{path}', outside the plugin's folder.");
        }
    }

    private static List<string> ReadJson(string file, Action<JsonElement, List<string>> collect)
    {
        var paths = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            collect(document.RootElement, paths);
        }
        catch (JsonException ex)
        {
            throw new PluginLoadException($"{Path.GetFileName(file)} is not valid JSON: {ex.Message}");
        }

        return paths;
    }

    /// <summary>Every asset path of every target and every package path: all are joined to the plugin's folder when resolving.</summary>
    private static void DepsPaths(JsonElement root, List<string> paths)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Object)
        {
            foreach (var target in targets.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (var library in target.Value.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
                {
                    foreach (var kind in AssetKinds)
                    {
                        if (library.Value.TryGetProperty(kind, out var assets) && assets.ValueKind == JsonValueKind.Object)
                        {
                            paths.AddRange(assets.EnumerateObject().Select(a => a.Name));
                        }
                    }
                }
            }
        }

        if (root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object)
        {
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.ValueKind == JsonValueKind.Object && library.Value.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String)
                {
                    paths.Add(path.GetString()!);
                }
            }
        }
    }

    private static void ProbingPaths(JsonElement root, List<string> paths)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("runtimeOptions", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("additionalProbingPaths", out var probing) && probing.ValueKind == JsonValueKind.Array)
        {
            paths.AddRange(probing.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!));
        }
    }
}
