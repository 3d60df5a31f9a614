using System.Globalization;
using System.Text.RegularExpressions;
using CctvEdge.Storage;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>A picture of a burst, kept until the burst's event and clip are in the outbox.</summary>
internal sealed record BurstImage(string Path, DateTimeOffset Time);

/// <summary>A burst on disk: its id (the event's and the clip's) and its pictures in the order they came.</summary>
internal sealed record StoredBurst(string Id, string Directory, IReadOnlyList<BurstImage> Images);

/// <summary>
/// Where a push camera keeps its pictures between the inbox and the outbox, so a node that stops mid-burst loses
/// nothing: each burst is a folder (<c>bursts/&lt;start ms&gt;-&lt;id&gt;</c>) whose file names carry the order and the
/// time of each picture (<c>0001-&lt;ms&gt;.jpg</c>); the next start makes its event and clip from what is there.
/// Pictures being checked wait in <c>incoming</c>, the node's own folder, so nothing in the inbox can swap them.
/// </summary>
internal sealed partial class PushBurstStore(string root)
{
    public string Incoming { get; } = Path.Combine(root, "incoming");

    public string Bursts { get; } = Path.Combine(root, "bursts");

    public void Create()
    {
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(Bursts);
    }

    public StoredBurst Begin(DateTimeOffset start)
    {
        var id = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Bursts, start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "-" + id);
        Directory.CreateDirectory(directory);
        DurableFile.FsyncDirectory(Bursts);
        return new StoredBurst(id, directory, []);
    }

    /// <summary>Moves a checked picture into the burst; returns the burst with it.</summary>
    public StoredBurst Add(StoredBurst burst, string picture, DateTimeOffset time)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{burst.Images.Count + 1:0000}-{time.ToUnixTimeMilliseconds()}.jpg");
        var path = Path.Combine(burst.Directory, name);
        File.Move(picture, path);
        DurableFile.FsyncDirectory(burst.Directory);
        return burst with { Images = [.. burst.Images, new BurstImage(path, time)] };
    }

    /// <summary>The bursts on disk, oldest first: at start, those a previous run left.</summary>
    public IReadOnlyList<StoredBurst> Stored()
    {
        var bursts = new List<StoredBurst>();
        foreach (var directory in Directory.EnumerateDirectories(Bursts).Order(StringComparer.Ordinal))
        {
            var match = BurstName().Match(Path.GetFileName(directory));
            if (!match.Success)
            {
                continue;
            }

            var images = Directory.EnumerateFiles(directory, "*.jpg")
                .Select(p => (Path: p, Match: ImageName().Match(System.IO.Path.GetFileName(p))))
                .Where(x => x.Match.Success)
                .OrderBy(x => x.Path, StringComparer.Ordinal)
                .Select(x => new BurstImage(x.Path, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture))))
                .ToList();
            bursts.Add(new StoredBurst(match.Groups[1].Value, directory, images));
        }

        return bursts;
    }

    public void Remove(StoredBurst burst)
    {
        Directory.Delete(burst.Directory, recursive: true);
        DurableFile.FsyncDirectory(Bursts);
    }

    [GeneratedRegex(@"^\d+-([0-9a-f]{32})$", RegexOptions.CultureInvariant)]
    private static partial Regex BurstName();

    [GeneratedRegex(@"^\d{4,}-(\d+)\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageName();
}
