using System.Security.Cryptography;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Maintenance;

/// <summary>What is wrong with one clip, or an orphan file or object (by its key in the clip store).</summary>
internal sealed record ClipProblem(string What, string Detail, ClipRow? Clip, string? OrphanKey);

/// <summary>
/// Verifies clip files (or objects in a bucket) against their rows: present, the announced size, and (when asked) the
/// announced sha256; also finds files or objects no row names. With repair, rows whose clip is missing or damaged are
/// deleted (the video is gone either way; the row would only promise it) and orphans are removed.
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
        var named = clips.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        await foreach (var key in store.Objects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!named.Contains(key))
            {
                problems.Add(new ClipProblem("orphan", $"no clip row names {key}", null, key));
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
                else if (problem.OrphanKey is { } orphan)
                {
                    await store.Objects.DeleteAsync(orphan, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return problems;
    }

    private async Task<ClipProblem?> CheckAsync(ClipRow clip, bool hash, CancellationToken cancellationToken)
    {
        var key = clip.Path!;
        var size = await store.Objects.HeadAsync(key, cancellationToken).ConfigureAwait(false);
        if (size is null)
        {
            return new ClipProblem("missing", key, clip, null);
        }

        if (size != clip.Size)
        {
            return new ClipProblem("size", $"{key}: {size} bytes, {clip.Size} expected", clip, null);
        }

        if (hash)
        {
            await using var stream = await store.Objects.GetAsync(key, 0, null, cancellationToken).ConfigureAwait(false);
            if (!(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(clip.Sha256))
            {
                return new ClipProblem("sha256", $"{key}: content does not match its sha256", clip, null);
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
