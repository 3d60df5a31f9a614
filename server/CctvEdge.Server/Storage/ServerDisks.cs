using CctvEdge.Server.Hosting;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage;

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
                var drive = new DriveInfo(Directory.Exists(path) ? path : Path.GetPathRoot(path)!);
                if (seen.TryGetValue(drive.Name, out var index))
                {
                    disks[index] = disks[index] with { Name = disks[index].Name + " and clips" };
                    continue;
                }

                seen[drive.Name] = disks.Count;
                disks.Add(new DiskView(name, drive.AvailableFreeSpace, drive.TotalSize));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A disk that cannot be read is left out; it does not stop the page.
            }
        }

        return disks;
    }
}
