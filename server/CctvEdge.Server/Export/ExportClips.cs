using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Export;

/// <summary>A stored clip in an export: its key in the clip object store and its path in the export.</summary>
internal sealed record ExportItem(ClipListRow Clip, string Key, string EntryPath);

/// <summary>One line of an export's manifest: the hash the node sent and the hash of the bytes exported.</summary>
internal sealed record ManifestEntry(string Path, string ClipId, string Node, string Camera, DateTimeOffset Start, DateTimeOffset End, long Bytes, string Sha256, string ExportedSha256, bool Verified);

/// <summary>
/// Picks the stored clips of an export and lays them out as the clip store does: node/camera/UTC day/clip.mp4.
/// Every path component is an id checked at ingest, so nothing in an export can point outside it.
/// </summary>
internal sealed class ExportClips(ClipQueries clips, ClipStore store)
{
    public const string ManifestName = "manifest.json";
    public const string ChecksumsName = "SHA256SUMS";
    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public async Task<IReadOnlyList<ExportItem>> SelectAsync(ExportSelection selection, CancellationToken cancellationToken)
    {
        var from = selection.From.ToUnixTimeMilliseconds();
        var to = selection.To.ToUnixTimeMilliseconds();
        // Clips that start up to their longest length before the range can still overlap it.
        var rows = await clips.StartingInAsync(selection.Cameras.Select(c => c.ToRef()).ToList(), from - ClipIds.MaxDurationMs, to, storedOnly: true, cancellationToken).ConfigureAwait(false);
        return rows.Where(c => c.EndMs > from && c.Path is not null)
            .Select(c => new ExportItem(
                c,
                c.Path!,
                $"{c.NodeId}/{c.CameraId}/{DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{c.Id}.mp4"))
            .ToList();
    }

    /// <summary>
    /// Copies a clip's bytes to <paramref name="destination"/> as they stream from the clip store (a file or a bucket),
    /// hashing them on the way; returns the hash.
    /// </summary>
    public async Task<string> CopyHashingAsync(ExportItem item, Stream destination, Action<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var input = await store.Objects.GetAsync(item.Key, 0, null, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            progress?.Invoke(read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static ManifestEntry Entry(ExportItem item, string exportedSha256)
    {
        var stored = Convert.ToHexStringLower(item.Clip.Sha256);
        return new ManifestEntry(
            item.EntryPath,
            item.Clip.Id,
            item.Clip.NodeId,
            item.Clip.CameraId,
            DateTimeOffset.FromUnixTimeMilliseconds(item.Clip.StartMs),
            DateTimeOffset.FromUnixTimeMilliseconds(item.Clip.EndMs),
            item.Clip.Size,
            stored,
            exportedSha256,
            string.Equals(stored, exportedSha256, StringComparison.Ordinal));
    }

    public static byte[] Manifest(ExportSelection selection, IReadOnlyList<ManifestEntry> entries) =>
        JsonSerializer.SerializeToUtf8Bytes(new { selection.From, selection.To, Cameras = selection.Cameras.Select(c => c.ToString()), Clips = entries }, ManifestJson);

    /// <summary>The sha256sum format: <c>sha256sum -c SHA256SUMS</c> checks an export anywhere.</summary>
    public static byte[] Checksums(IReadOnlyList<ManifestEntry> entries) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(entries.Select(e => $"{e.Sha256}  {e.Path}\n")));
}
