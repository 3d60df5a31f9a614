using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>A picture in the inbox that has stopped changing, with its time (the file's, never in the future).</summary>
internal sealed record InboxFile(string Path, long Size, DateTimeOffset Time);

/// <summary>
/// A push camera's inbox folder, as an FTP server fills it: files are written in place, so one is taken only once its
/// size and time have not changed for <see cref="StableFor"/> (a file that does not end like a JPEG gets
/// <see cref="IncompleteFor"/>, an upload that paused). Hidden and temporary names (pure-ftpd's
/// <c>.pureftpd-upload.*</c>, the endpoint's <c>.upload-*</c>, <c>*.part</c>) are left alone; symbolic links are
/// deleted (the link, never what it points to) and never followed; files over the size limit are deleted. Cameras that
/// make dated subfolders are followed a few levels down.
/// </summary>
internal sealed partial class PushInbox(string directory, long maxBytes, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan StableFor = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan IncompleteFor = TimeSpan.FromSeconds(30);
    private const int MaxDepth = 4;
    private static readonly string[] TemporarySuffixes = [".part", ".tmp", ".filepart", ".partial"];
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    public string Directory => directory;

    /// <summary>The times of the files the last scan saw that are not ready yet: uploads still being written.</summary>
    public IReadOnlyList<DateTimeOffset> Waiting { get; private set; } = [];

    /// <summary>The files ready to be taken, oldest first.</summary>
    public IReadOnlyList<InboxFile> Scan()
    {
        var now = clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var ready = new List<InboxFile>();
        var waiting = new List<DateTimeOffset>();
        Walk(new DirectoryInfo(directory), 0, now, present, ready, waiting);
        Waiting = waiting;
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return [.. ready.OrderBy(f => f.Time).ThenBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>Forgets a file the caller took (or refused), so a new file of the same name starts afresh.</summary>
    public void Forget(string path) => _seen.Remove(path);

    private void Walk(DirectoryInfo folder, int depth, DateTimeOffset now, HashSet<string> present, List<InboxFile> ready, List<DateTimeOffset> waiting)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.') || TemporarySuffixes.Any(s => entry.Name.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                LogSymlinkRefused(logger, entry.FullName);
                TryDelete(entry.FullName);
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                if (depth < MaxDepth)
                {
                    Walk(sub, depth + 1, now, present, ready, waiting);
                }

                continue;
            }

            if (entry is not FileInfo file || (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0)
            {
                continue;
            }

            present.Add(file.FullName);
            if (file.Length > maxBytes)
            {
                LogTooLarge(logger, file.FullName, file.Length, maxBytes);
                TryDelete(file.FullName);
                continue;
            }

            var written = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
            var time = written < now ? written : now;
            if (!_seen.TryGetValue(file.FullName, out var seen) || seen.Size != file.Length || seen.Written != written)
            {
                _seen[file.FullName] = new Seen(file.Length, written, now);
                waiting.Add(time);
                continue;
            }

            var quiet = now - seen.Since;
            if (quiet >= StableFor && (quiet >= IncompleteFor || EndsLikeJpeg(file)))
            {
                ready.Add(new InboxFile(file.FullName, file.Length, time));
            }
            else
            {
                waiting.Add(time);
            }
        }
    }

    private static bool EndsLikeJpeg(FileInfo file)
    {
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < 4)
            {
                return false;
            }

            Span<byte> tail = stackalloc byte[2];
            stream.Seek(-2, SeekOrigin.End);
            stream.ReadExactly(tail);
            return tail[0] == 0xFF && tail[1] == 0xD9;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, path, ex.Message);
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Push inbox: {Path} is a symbolic link; deleted the link, nothing it points to was read.")]
    private static partial void LogSymlinkRefused(ILogger logger, string path);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Push inbox: {Path} is {Bytes} bytes, over Push:MaxImageBytes ({Max}); deleted.")]
    private static partial void LogTooLarge(ILogger logger, string path, long bytes, long max);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "Push inbox: could not delete {Path}: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string error);

    private sealed record Seen(long Size, DateTimeOffset Written, DateTimeOffset Since);
}
