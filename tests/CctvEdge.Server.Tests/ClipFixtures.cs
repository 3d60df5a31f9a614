using System.Security.Cryptography;
using CctvEdge.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>Puts stored clips straight into a server's store (row and file or object), for retention and check tests.</summary>
internal static class ClipFixtures
{
    public static async Task<ClipRow> StoreAsync(InProcessServer server, string id, DateTimeOffset start, int size = 1000, bool flagged = false, string camera = "yard")
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var relative = Path.Combine("barn", camera, start.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), id + ".mp4");
        var store = server.Services.GetRequiredService<ClipStore>();
        // Through the clip object store, so the same fixture fills a clips directory or a bucket.
        Directory.CreateDirectory(store.UploadsDirectory);
        var part = Path.Combine(store.UploadsDirectory, id + ".part");
        await File.WriteAllBytesAsync(part, bytes);
        await store.Objects.PutAsync(relative, part, CancellationToken.None);
        await server.Database().WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO nodes (id, name, first_seen_ms, last_seen_ms) VALUES ('barn', 'Barn', 0, 0) ON CONFLICT (id) DO NOTHING", transaction: transaction);
            return await connection.ExecuteAsync(
                """
                INSERT INTO clips (id, node_id, camera_id, start_ms, end_ms, size, sha256, state, path, announced_ms, stored_ms, flagged)
                VALUES (@Id, 'barn', @Camera, @Start, @End, @Size, @Sha, 'stored', @Path, 0, 0, @Flagged)
                """,
                new { Id = id, Camera = camera, Start = start.ToUnixTimeMilliseconds(), End = start.AddSeconds(10).ToUnixTimeMilliseconds(), Size = size, Sha = SHA256.HashData(bytes), Path = relative, Flagged = flagged ? 1 : 0 },
                transaction);
        }, CancellationToken.None);
        return (await store.FindAsync(id, CancellationToken.None))!;
    }

    /// <summary>A stored clip's file, for tests that damage it (the filesystem store only).</summary>
    public static string FileOf(ClipStore store, ClipRow clip) => store.Objects.LocalPath(clip.Path!)!;

    public static async Task<IReadOnlyList<string>> StoredIdsAsync(InProcessServer server) =>
        (await server.Services.GetRequiredService<ClipStore>().StoredAsync(CancellationToken.None)).Select(c => c.Id).ToList();
}
