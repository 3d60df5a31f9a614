using System.IO.Compression;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// A plugin package: a zip of a plugin folder, with <c>plugin.json</c> at its root (or in its one top folder), as the
/// server keeps it and a node installs it. Checked the same on both sides before anything is written: every entry
/// stays inside the folder, the entries are not too many or too large, the manifest is valid and names an assembly
/// the package holds.
/// </summary>
public static class PluginPackage
{
    public const long MaxUnpackedBytes = 512L * 1024 * 1024;
    public const int MaxEntries = 10_000;

    /// <summary>The package's manifest, after every check; throws <see cref="PluginLoadException"/> saying what is wrong.</summary>
    public static PluginManifest Inspect(string zipPath)
    {
        using var zip = Open(zipPath);
        var (prefix, files) = Entries(zip);
        var staging = Directory.CreateTempSubdirectory("cctvedge-manifest-");
        try
        {
            zip.GetEntry(prefix + PluginManifest.FileName)!.ExtractToFile(Path.Combine(staging.FullName, PluginManifest.FileName));
            var manifest = PluginManifest.Read(staging.FullName);
            var assembly = manifest.Assembly.Replace('\\', '/').TrimStart('.', '/');
            if (!files.Contains(assembly))
            {
                throw new PluginLoadException($"the package has no '{manifest.Assembly}', the assembly its {PluginManifest.FileName} names.");
            }

            return manifest;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Unpacks an inspected package into <paramref name="folder"/> (created; must not exist), without its top folder if it has one.</summary>
    public static void Extract(string zipPath, string folder)
    {
        using var zip = Open(zipPath);
        var (prefix, _) = Entries(zip);
        var root = Path.GetFullPath(folder);
        Directory.CreateDirectory(root);
        foreach (var entry in zip.Entries)
        {
            var relative = Normalized(entry)[prefix.Length..];
            if (relative.Length == 0)
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (!PathConfinement.IsInside(root, target))
            {
                throw new PluginLoadException($"the package's entry '{entry.FullName}' would be written outside the plugin's folder.");
            }

            if (relative.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
        }
    }

    private static ZipArchive Open(string zipPath)
    {
        try
        {
            return ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException ex)
        {
            throw new PluginLoadException($"the package is not a zip file: {ex.Message}");
        }
    }

    /// <summary>The top folder to strip ("" when plugin.json is at the root) and the files relative to it; every check on the entries.</summary>
    private static (string Prefix, HashSet<string> Files) Entries(ZipArchive zip)
    {
        if (zip.Entries.Count > MaxEntries)
        {
            throw new PluginLoadException($"the package has more than {MaxEntries} entries.");
        }

        var names = zip.Entries.Select(Normalized).ToList();
        long unpacked = 0;
        foreach (var (entry, name) in zip.Entries.Zip(names))
        {
            if (name.StartsWith('/') || name.Contains(':', StringComparison.Ordinal) || name.Split('/').Any(part => part == ".."))
            {
                throw new PluginLoadException($"the package's entry '{entry.FullName}' would be written outside the plugin's folder.");
            }

            unpacked += entry.Length;
        }

        if (unpacked > MaxUnpackedBytes)
        {
            throw new PluginLoadException($"the package unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MiB.");
        }

        var prefix = names.Contains(PluginManifest.FileName)
            ? ""
            : names.Select(n => n.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList() is [var top] && names.Contains($"{top}/{PluginManifest.FileName}")
                ? top + "/"
                : throw new PluginLoadException($"the package has no {PluginManifest.FileName} at its root (or in its one top folder).");
        return (prefix, names.Where(n => n.Length > prefix.Length && !n.EndsWith('/')).Select(n => n[prefix.Length..]).ToHashSet(StringComparer.Ordinal));
    }

    private static string Normalized(ZipArchiveEntry entry) => entry.FullName.Replace('\\', '/');
}
