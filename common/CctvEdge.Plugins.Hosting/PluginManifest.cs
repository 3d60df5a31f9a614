using System.Text.Json;
using System.Text.Json.Serialization;

namespace CctvEdge.Plugins.Hosting;

/// <summary>A plugin folder's <c>plugin.json</c>: who the plugin is and where its entry type lives.</summary>
public sealed record PluginManifest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("sdkAbi")] int SdkAbi,
    [property: JsonPropertyName("assembly")] string Assembly,
    [property: JsonPropertyName("entryType")] string EntryType,
    [property: JsonPropertyName("description")] string? Description)
{
    public const string FileName = "plugin.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads and checks a folder's manifest; throws <see cref="PluginLoadException"/> saying what is wrong.</summary>
    public static PluginManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new PluginLoadException($"no {FileName} in '{folder}'.");
        }

        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new PluginLoadException($"{FileName} in '{folder}' is not valid: {ex.Message}");
        }

        if (manifest is null)
        {
            throw new PluginLoadException($"{FileName} in '{folder}' is empty.");
        }

        Require(manifest.Id, "id", folder);
        Require(manifest.Version, "version", folder);
        Require(manifest.Assembly, "assembly", folder);
        Require(manifest.EntryType, "entryType", folder);
        if (!Identifier.IsValid(manifest.Id))
        {
            throw new PluginLoadException($"{FileName} in '{folder}': id '{manifest.Id}' is invalid: {Identifier.Rule}.");
        }

        return manifest;
    }

    /// <summary>The entry assembly's full path; refuses anything that would leave the plugin's own folder.</summary>
    public string ResolveAssemblyPath(string folder)
    {
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, Assembly));
        if (Path.IsPathRooted(Assembly) || !PathConfinement.IsInside(root, full))
        {
            throw new PluginLoadException($"{FileName} in '{folder}': assembly '{Assembly}' points outside the plugin's folder.");
        }

        if (!File.Exists(full))
        {
            throw new PluginLoadException($"{FileName} in '{folder}': assembly '{Assembly}' does not exist.");
        }

        return full;
    }

    private static void Require(string? value, string field, string folder)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PluginLoadException($"{FileName} in '{folder}' has no \"{field}\".");
        }
    }
}

/// <summary>A plugin could not be loaded; the message is reported to the server as the plugin's error.</summary>
public sealed class PluginLoadException(string message, Exception? inner = null) : Exception(message, inner);

public static class PathConfinement
{
    /// <summary>True when <paramref name="fullPath"/> lies inside <paramref name="root"/> (both already full paths).</summary>
    public static bool IsInside(string root, string fullPath)
    {
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return fullPath.StartsWith(prefix, StringComparison.Ordinal);
    }
}
