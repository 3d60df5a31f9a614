namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// Copies a plugin folder before it is loaded. The runtime maps a loaded assembly's file into memory, so a plugin
/// author overwriting the original in place (cp -r over the old version) would change code under a running plugin;
/// the copy is never touched again, and it is deleted once the plugin is unloaded.
/// </summary>
public static class ShadowCopy
{
    private static long _next;

    /// <summary>Copies <paramref name="folder"/> to a new folder under <paramref name="shadowRoot"/>; refuses links leaving it.</summary>
    public static string Create(string folder, string shadowRoot, string id)
    {
        var source = Path.GetFullPath(folder);
        var target = Path.Combine(shadowRoot, $"{id}-{Environment.ProcessId}-{Interlocked.Increment(ref _next)}");
        Directory.CreateDirectory(target);
        try
        {
            CopyTree(source, source, target);
            return target;
        }
        catch
        {
            Delete(target);
            throw;
        }
    }

    /// <summary>Removes a copy; on Linux files still mapped by an unloading context stay readable until unmapped.</summary>
    public static void Delete(string copy)
    {
        try
        {
            Directory.Delete(copy, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover copy costs disk only; the next start clears the whole shadow directory.
        }
    }

    /// <summary>Clears copies left by an earlier run (a crash leaves them behind).</summary>
    public static void Reset(string shadowRoot)
    {
        if (Directory.Exists(shadowRoot))
        {
            foreach (var old in Directory.GetDirectories(shadowRoot))
            {
                Delete(old);
            }
        }

        Directory.CreateDirectory(shadowRoot);
    }

    private static void CopyTree(string root, string from, string to)
    {
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is { } resolved
                && !PathConfinement.IsInside(root, Path.GetFullPath(resolved.FullName)))
            {
                throw new PluginLoadException($"'{Path.GetRelativePath(root, entry.FullName)}' links to '{resolved.FullName}', outside the plugin's folder.");
            }

            var destination = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo directory)
            {
                Directory.CreateDirectory(destination);
                CopyTree(root, directory.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
