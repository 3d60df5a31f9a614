using System.Security.Cryptography;
using CctvEdge.Server.Storage;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>Puts stored clips straight into a server's store (row and file), for retention and check tests.</summary>
internal static class ClipFixtures
{
    public static async Task<ClipRow> StoreAsync(InProcessServer server, string id, DateTimeOffset start, int size = 1000, bool flagged = false, string camera = "yard")
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var relative = Path.Combine("barn", camera, start.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), id + ".mp4");
        var store = server.Services.GetRequiredService<ClipStore>();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(store.Root, relative))!);
        await File.WriteAllBytesAsync(Path.Combine(store.Root, relative), bytes);
        var database = server.Services.GetRequiredService<SqliteDatabase>();
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "INSERT OR IGNORE INTO nodes (id, name, first_seen_ms, last_seen_ms) VALUES ('barn', 'Barn', 0, 0)", transaction: transaction);
            return await connection.ExecuteAsync(
                """
                INSERT INTO clips (id, node_id, camera_id, start_ms, end_ms, size, sha256, state, path, announced_ms, stored_ms, flagged)
                VALUES (@Id, 'barn', @Camera, @Start, @End, @Size, @Sha, 'stored', @Path, 0, 0, @Flagged)
                """,
                new { Id = id, Camera = camera, Start = start.ToUnixTimeMilliseconds(), End = start.AddSeconds(10).ToUnixTimeMilliseconds(), Size = size, Sha = SHA256.HashData(bytes), Path = relative, Flagged = flagged },
                transaction);
        }, CancellationToken.None);
        return (await store.FindAsync(id, CancellationToken.None))!;
    }

    public static async Task<IReadOnlyList<string>> StoredIdsAsync(InProcessServer server) =>
        (await server.Services.GetRequiredService<ClipStore>().StoredAsync(CancellationToken.None)).Select(c => c.Id).ToList();
}
