using System.Security.Cryptography;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Maintenance;

/// <summary>What is wrong with one clip, or an orphan file.</summary>
internal sealed record ClipProblem(string What, string Detail, ClipRow? Clip, string? OrphanPath);

/// <summary>
/// Verifies clip files against their rows: present, the announced size, and (when asked) the announced sha256; also
/// finds files no row names. With repair, rows whose file is missing or damaged are deleted (the video is gone either
/// way; the row would only promise it) and orphan files are removed.
/// </summary>
internal sealed class ClipCheck(ClipStore store, TextWriter progress)
{
    public async Task<IReadOnlyList<ClipProblem>> RunAsync(bool hash, bool repair, CancellationToken cancellationToken)
    {
        var clips = await store.StoredAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<ClipProblem>();
        for (var i = 0; i < clips.Count; i++)
        {
            if (await CheckAsync(clips[i], hash, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                problems.Add(problem);
            }

            Draw(i + 1, clips.Count, problems.Count);
        }

        await progress.WriteLineAsync().ConfigureAwait(false);
        var named = clips.Select(c => Path.GetFullPath(store.FullPath(c))).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(store.Root))
        {
            foreach (var file in Directory.EnumerateFiles(store.Root, "*.mp4", SearchOption.AllDirectories))
            {
                if (!file.StartsWith(store.UploadsDirectory, StringComparison.Ordinal) && !named.Contains(file))
                {
                    problems.Add(new ClipProblem("orphan", "no clip row names this file", null, file));
                }
            }
        }

        if (repair)
        {
            foreach (var problem in problems)
            {
                if (problem.Clip is { } clip)
                {
                    await store.DeleteAsync(clip, cancellationToken).ConfigureAwait(false);
                }
                else if (problem.OrphanPath is { } orphan)
                {
                    File.Delete(orphan);
                }
            }
        }

        return problems;
    }

    private async Task<ClipProblem?> CheckAsync(ClipRow clip, bool hash, CancellationToken cancellationToken)
    {
        var path = store.FullPath(clip);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new ClipProblem("missing", path, clip, null);
        }

        if (file.Length != clip.Size)
        {
            return new ClipProblem("size", $"{path}: {file.Length} bytes, {clip.Size} expected", clip, null);
        }

        if (hash)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (!(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(clip.Sha256))
            {
                return new ClipProblem("sha256", $"{path}: content does not match its sha256", clip, null);
            }
        }

        return null;
    }

    private void Draw(int done, int total, int problems)
    {
        const int width = 30;
        var filled = total == 0 ? width : done * width / total;
        progress.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} clips, {problems} problem(s)");
    }
}
