using CctvEdge.Server.Hosting;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Api;

/// <summary>The server's disks as the overview and the storage page show them: the data disk and the clip disk, once if they are one.</summary>
internal sealed class ServerDisks(IOptions<ServerOptions> options)
{
    public IReadOnlyList<DiskView> Read()
    {
        var disks = new List<DiskView>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, path) in new[] { ("server data", options.Value.ResolvedDataDirectory), ("server clips", options.Value.ResolvedClipsDirectory) })
        {
            try
            {
                if (MountOf(path) is not { } drive)
                {
                    continue;
                }

                if (seen.TryGetValue(drive.RootDirectory.FullName, out var index))
                {
                    disks[index] = disks[index] with { Name = disks[index].Name + " and clips" };
                    continue;
                }

                seen[drive.RootDirectory.FullName] = disks.Count;
                disks.Add(new DiskView(name, drive.AvailableFreeSpace, drive.TotalSize));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A disk that cannot be read is left out; it does not stop the page.
            }
        }

        return disks;
    }

    /// <summary>The mounted filesystem that holds <paramref name="path"/>: the mount point that is its longest prefix.</summary>
    private static DriveInfo? MountOf(string path)
    {
        var full = WithSeparator(Path.GetFullPath(path));
        return DriveInfo.GetDrives()
            .Where(d => full.StartsWith(WithSeparator(d.RootDirectory.FullName), StringComparison.Ordinal))
            .MaxBy(d => d.RootDirectory.FullName.Length);

        // "/" stays "/", "/media/usb" becomes "/media/usb/": so /media/usb2 is not under /media/usb.
        static string WithSeparator(string directory) =>
            Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
    }
}
