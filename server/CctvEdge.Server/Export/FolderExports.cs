using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CctvEdge.Server.Hosting;
using CctvEdge.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Export;

/// <summary>
/// Copies an export into a new subfolder of an allow-listed folder (Server:ExportDirectories), e.g. a USB disk:
/// every clip is copied and flushed to the disk, then read back from it and checked against the sha256 its node
/// sent, and the folder gets a manifest and a SHA256SUMS file. Copies run on the server, so closing the page does
/// not stop one; the page watches the progress.
/// </summary>
internal sealed partial class FolderExports(ExportClips export, IOptions<ServerOptions> options, ILogger<FolderExports> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    public IReadOnlyList<ExportTarget> Targets =>
        options.Value.ExportDirectories.Select((path, index) => new ExportTarget(index, path, FreeBytes(path))).ToList();

    /// <summary>Starts a copy; throws <see cref="ArgumentException"/> with a message for the page when refused.</summary>
    public ExportProgress Start(ExportSelection selection, int targetIndex, string name)
    {
        var roots = options.Value.ExportDirectories;
        if (targetIndex < 0 || targetIndex >= roots.Count)
        {
            throw new ArgumentException("Choose one of the export folders (Server:ExportDirectories).", nameof(targetIndex));
        }

        if (!FolderName().IsMatch(name))
        {
            throw new ArgumentException("The folder name is 1 to 64 letters, digits, '.', '_' or '-', and starts with a letter or digit.", nameof(name));
        }

        var root = Path.GetFullPath(roots[targetIndex]);
        var folder = Confined(root, name);
        if (!Directory.Exists(root))
        {
            throw new ArgumentException($"{root} does not exist (is the disk mounted?).", nameof(targetIndex));
        }

        if (Path.Exists(folder))
        {
            throw new ArgumentException($"{folder} exists already; choose another name.", nameof(name));
        }

        Directory.CreateDirectory(folder);
        var job = new Job(new ExportProgress(Guid.NewGuid().ToString("N"), ExportState.Copying, folder, 0, 0, 0, 0, 0, null));
        _jobs[job.Progress.Id] = job;
        job.Task = Task.Run(() => RunAsync(job, selection, folder, job.Cancellation.Token));
        return job.Progress;
    }

    public IDisposable Watch(string exportId, Action<ExportProgress> onChange)
    {
        if (!_jobs.TryGetValue(exportId, out var job))
        {
            return new Unsubscribe(() => { });
        }

        job.Changed += onChange;
        onChange(job.Progress);
        return new Unsubscribe(() => job.Changed -= onChange);
    }

    public void Cancel(string exportId)
    {
        if (_jobs.TryGetValue(exportId, out var job))
        {
            job.Cancellation.Cancel();
        }
    }

    /// <summary>The running or finished copy, for tests.</summary>
    internal Task? Completion(string exportId) => _jobs.TryGetValue(exportId, out var job) ? job.Task : null;

    private async Task RunAsync(Job job, ExportSelection selection, string folder, CancellationToken cancellationToken)
    {
        try
        {
            var items = await export.SelectAsync(selection, cancellationToken).ConfigureAwait(false);
            job.Update(p => p with { Files = items.Count, Bytes = items.Sum(i => i.Clip.Size) }, force: true);
            foreach (var item in items)
            {
                var destination = Confined(folder, item.EntryPath);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                await using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    await export.CopyHashingAsync(item, output, read => job.Update(p => p with { BytesCopied = p.BytesCopied + read }), cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }

                job.Update(p => p with { FilesCopied = p.FilesCopied + 1 }, force: true);
            }

            // Read back what is on the disk now, not what was written: that is what the farmer takes away.
            job.Update(p => p with { State = ExportState.Verifying }, force: true);
            var entries = new List<ManifestEntry>();
            foreach (var item in items)
            {
                entries.Add(ExportClips.Entry(item, await HashFileAsync(Confined(folder, item.EntryPath), cancellationToken).ConfigureAwait(false)));
                job.Update(p => p with { FilesVerified = p.FilesVerified + (entries[^1].Verified ? 1 : 0) }, force: true);
            }

            await DurableFile.WriteAsync(Path.Combine(folder, ExportClips.ManifestName), ExportClips.Manifest(selection, entries), cancellationToken).ConfigureAwait(false);
            await DurableFile.WriteAsync(Path.Combine(folder, ExportClips.ChecksumsName), ExportClips.Checksums(entries), cancellationToken).ConfigureAwait(false);
            var bad = entries.Where(e => !e.Verified).Select(e => e.Path).ToList();
            job.Update(p => bad.Count == 0 ? p with { State = ExportState.Done } : p with { State = ExportState.Failed, Error = $"{bad.Count} clip(s) failed the checksum check: {string.Join(", ", bad)}" }, force: true);
            LogFinished(logger, folder, items.Count, bad.Count);
        }
        catch (OperationCanceledException)
        {
            job.Update(p => p with { State = ExportState.Cancelled }, force: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, folder, ex);
            job.Update(p => p with { State = ExportState.Failed, Error = ex.Message }, force: true);
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><paramref name="relative"/> under <paramref name="root"/>, refusing anything that would leave it.</summary>
    internal static string Confined(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) && full.Length > prefix.Length
            ? full
            : throw new ArgumentException($"'{relative}' leaves {root}.", nameof(relative));
    }

    private static long? FreeBytes(string path)
    {
        try
        {
            return Directory.Exists(path) ? new DriveInfo(path).AvailableFreeSpace : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderName();

    [LoggerMessage(EventId = 91, Level = LogLevel.Information, Message = "Export to {Folder} finished: {Clips} clip(s), {Bad} failed verification.")]
    private static partial void LogFinished(ILogger logger, string folder, int clips, int bad);

    [LoggerMessage(EventId = 92, Level = LogLevel.Error, Message = "Export to {Folder} failed.")]
    private static partial void LogFailed(ILogger logger, string folder, Exception exception);

    /// <summary>One copy: its progress, published at most every <see cref="ProgressInterval"/> unless forced.</summary>
    private sealed class Job(ExportProgress progress)
    {
        private readonly object _gate = new();
        private readonly Stopwatch _sincePublished = Stopwatch.StartNew();

        public event Action<ExportProgress>? Changed;

        public ExportProgress Progress { get; private set; } = progress;

        public CancellationTokenSource Cancellation { get; } = new();

        public Task? Task { get; set; }

        public void Update(Func<ExportProgress, ExportProgress> change, bool force = false)
        {
            ExportProgress now;
            lock (_gate)
            {
                now = Progress = change(Progress);
                if (!force && _sincePublished.Elapsed < ProgressInterval)
                {
                    return;
                }

                _sincePublished.Restart();
            }

            Changed?.Invoke(now);
        }
    }

    private sealed class Unsubscribe(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
