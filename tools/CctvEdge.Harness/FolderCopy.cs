namespace CctvEdge.Harness;

/// <summary>Copies plugin and processor folders the way an installer does.</summary>
public static class FolderCopy
{
    /// <summary>
    /// Copies a folder's files, overwriting in place what is there (as cp does); with <paramref name="subfolders"/>, its
    /// folders too (a plugin's natives under runtimes/).
    /// </summary>
    public static void Copy(string from, string to, bool subfolders = false)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var folder in subfolders ? Directory.GetDirectories(from) : [])
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)), subfolders);
        }
    }
}
