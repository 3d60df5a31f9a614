using System.Security.Cryptography;
using System.Text;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// Notices plugin folders being added, replaced or removed. File system events wake it at once; a rescan every
/// <c>rescanInterval</c> is the safety net for events that never come (inotify limits, network file systems). A
/// change is reported only once the folders have stayed the same for <c>quietPeriod</c>, so a folder being copied is
/// picked up when the copy is complete rather than half-way.
/// </summary>
public sealed class PluginDirectoryWatcher : IDisposable
{
    private readonly string _directory;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _rescanInterval;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private FileSystemWatcher? _watcher;

    public PluginDirectoryWatcher(string directory, TimeSpan quietPeriod, TimeSpan rescanInterval)
    {
        _directory = directory;
        _quietPeriod = quietPeriod;
        _rescanInterval = rescanInterval;
    }

    /// <summary>Why file system events are unavailable (only rescans then), or null when they work.</summary>
    public string? EventsProblem { get; private set; }

    /// <summary>Each plugin folder (full path) and a fingerprint of its files' names, sizes and times.</summary>
    public static IReadOnlyDictionary<string, string> Scan(string directory)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return folders;
        }

        foreach (var folder in Directory.GetDirectories(directory))
        {
            // Dot folders are not plugins: a rollout stages the new version and keeps the previous one in them.
            if (Path.GetFileName(folder).StartsWith('.'))
            {
                continue;
            }

            try
            {
                folders[Path.GetFullPath(folder)] = Fingerprint(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Vanished or unreadable mid-scan: the folder is changing; the next scan sees it settled.
                folders[Path.GetFullPath(folder)] = "unreadable";
            }
        }

        return folders;
    }

    /// <summary>
    /// Waits until the folders differ from <paramref name="known"/> and have stopped changing; returns them as they now are.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForChangeAsync(IReadOnlyDictionary<string, string> known, CancellationToken cancellationToken)
    {
        StartEvents();
        while (true)
        {
            var current = Scan(_directory);
            if (!Same(current, known))
            {
                while (true)
                {
                    await Task.Delay(_quietPeriod, cancellationToken).ConfigureAwait(false);
                    var next = Scan(_directory);
                    if (Same(next, current))
                    {
                        return next;
                    }

                    current = next;
                }
            }

            await _wake.WaitAsync(_rescanInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _wake.Dispose();
    }

    private void StartEvents()
    {
        if (_watcher is not null || EventsProblem is not null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(_directory);
            _watcher = new FileSystemWatcher(_directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => Wake();
            _watcher.Created += (_, _) => Wake();
            _watcher.Deleted += (_, _) => Wake();
            _watcher.Renamed += (_, _) => Wake();
            _watcher.Error += (_, _) => Wake();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify instances, a read-only install folder...: rescans still find every change, only later.
            _watcher?.Dispose();
            _watcher = null;
            EventsProblem = ex.Message;
        }
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already awake, or shutting down.
        }
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);

    private static string Fingerprint(string folder)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            text.Append(Path.GetRelativePath(folder, file)).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
