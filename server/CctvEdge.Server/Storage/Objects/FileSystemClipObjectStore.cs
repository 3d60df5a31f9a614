using CctvEdge.Storage;

namespace CctvEdge.Server.Storage.Objects;

/// <summary>
/// Today's clip store: files under the clips directory. A put is a rename on the same disk (the part file lives under
/// <c>.uploads</c> there), so it is atomic, and both directories are fsynced before the row may name the file.
/// </summary>
internal sealed class FileSystemClipObjectStore(string root) : IClipObjectStore
{
    public const string UploadsFolder = ".uploads";

    public string Location => root;

    public bool IsOnClipDisk => true;

    public string? LocalPath(string key) => Path.Combine(root, key);

    public Task PutAsync(string key, string partPath, CancellationToken cancellationToken)
    {
        var final = Path.Combine(root, key);
        var directory = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(directory);
        File.Move(partPath, final, overwrite: true);
        DurableFile.FsyncDirectory(directory);
        DurableFile.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(partPath))!);
        return Task.CompletedTask;
    }

    public Task<Stream> GetAsync(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        var stream = new FileStream(Path.Combine(root, key), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }

    public Task<long?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path.Combine(root, key));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(root, key));
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken) => Files().ToAsyncEnumerable();

    private IEnumerable<string> Files()
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        var uploads = Path.Combine(root, UploadsFolder) + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(root, "*.mp4", SearchOption.AllDirectories))
        {
            if (!file.StartsWith(uploads, StringComparison.Ordinal))
            {
                yield return Path.GetRelativePath(root, file);
            }
        }
    }
}
