using System.Data;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CctvEdge.Server.Storage;

/// <summary>
/// What reviewers do to events: acknowledge, flag, soft-delete, one or many at once. Flags reach the clips that show
/// an event (same camera, overlapping time), so retention keeps them; a clip stays flagged while any flagged event
/// shows it, and a clip announced after its event was flagged is flagged when it arrives (see <see cref="ResultIngestor"/>).
/// </summary>
internal sealed class ReviewStore(SqliteDatabase database, TimeProvider clock)
{
    // Well under SQLite's limit on bound parameters per statement.
    private const int Chunk = 5000;

    public Task<int> AcknowledgeAsync(IReadOnlyCollection<long> eventIds, bool acknowledged, string by, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, (connection, transaction, ids) => connection.ExecuteAsync(
            acknowledged
                ? "UPDATE events SET acknowledged_ms = @Now, acknowledged_by = @By WHERE id IN @Ids AND deleted_ms IS NULL AND acknowledged_ms IS NULL"
                : "UPDATE events SET acknowledged_ms = NULL, acknowledged_by = '' WHERE id IN @Ids AND deleted_ms IS NULL AND acknowledged_ms IS NOT NULL",
            new { Ids = ids, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), By = by },
            transaction), cancellationToken);

    public Task<int> FlagAsync(IReadOnlyCollection<long> eventIds, bool flagged, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, async (connection, transaction, ids) =>
        {
            var changed = await connection.ExecuteAsync(
                "UPDATE events SET flagged = @Flagged WHERE id IN @Ids AND deleted_ms IS NULL AND flagged <> @Flagged",
                new { Ids = ids, Flagged = flagged ? 1 : 0 },
                transaction).ConfigureAwait(false);
            await RecomputeClipFlagsAsync(connection, transaction, ids).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    public Task<int> DeleteAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, async (connection, transaction, ids) =>
        {
            var changed = await connection.ExecuteAsync(
                "UPDATE events SET deleted_ms = @Now, flagged = 0 WHERE id IN @Ids AND deleted_ms IS NULL",
                new { Ids = ids, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await RecomputeClipFlagsAsync(connection, transaction, ids).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    /// <summary>Marks notifications seen and acknowledges their events; returns how many notifications changed.</summary>
    public Task<int> AcknowledgeNotificationsAsync(IReadOnlyCollection<long> notificationIds, string by, CancellationToken cancellationToken) =>
        ForChunksAsync(notificationIds, async (connection, transaction, ids) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                """
                UPDATE events SET acknowledged_ms = @Now, acknowledged_by = @By
                WHERE id IN (SELECT event_id FROM notifications WHERE id IN @Ids) AND deleted_ms IS NULL AND acknowledged_ms IS NULL
                """,
                new { Ids = ids, Now = now, By = by },
                transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                "UPDATE notifications SET status = 'seen', acknowledged_ms = @Now, acknowledged_by = @By WHERE id IN @Ids AND acknowledged_ms IS NULL",
                new { Ids = ids, Now = now, By = by },
                transaction).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>SQL: whether a flagged event shows clip <c>clips</c>; what a clip's flag should be.</summary>
    public const string ShownByFlaggedEventSql =
        "EXISTS (SELECT 1 FROM events f WHERE f.flagged = 1 AND f.node_id = clips.node_id AND f.camera_id = clips.camera_id "
        + "AND f.start_ms <= clips.end_ms AND COALESCE(f.end_ms, f.start_ms) >= clips.start_ms)";

    /// <summary>Sets the flag of every clip that shows one of <paramref name="eventIds"/> from all the flagged events that show it.</summary>
    private static async Task RecomputeClipFlagsAsync(SqliteConnection connection, IDbTransaction transaction, IReadOnlyList<long> eventIds)
    {
        var clipIds = (await connection.QueryAsync<string>(
            $"SELECT DISTINCT k.id FROM events e JOIN clips k ON {ClipIds.OverlapSql("k", "e.node_id", "e.camera_id", "e.start_ms", "COALESCE(e.end_ms, e.start_ms)")} WHERE e.id IN @Ids",
            new { Ids = eventIds },
            transaction).ConfigureAwait(false)).ToList();
        if (clipIds.Count > 0)
        {
            await connection.ExecuteAsync($"UPDATE clips SET flagged = {ShownByFlaggedEventSql} WHERE id IN @ClipIds", new { ClipIds = clipIds }, transaction).ConfigureAwait(false);
        }
    }

    private async Task<int> ForChunksAsync(IReadOnlyCollection<long> ids, Func<SqliteConnection, IDbTransaction, IReadOnlyList<long>, Task<int>> work, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            changed += await database.WriteAsync((connection, transaction) => work(connection, transaction, chunk), cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }
}
