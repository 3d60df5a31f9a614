using System.Data.Common;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>
/// What reviewers do to events: acknowledge, flag, soft-delete, one or many at once. Flags reach the clips that show
/// an event (same camera, overlapping time), so retention keeps them; a clip stays flagged while any flagged event
/// shows it, and a clip announced after its event was flagged is flagged when it arrives (see <see cref="ResultIngestor"/>).
/// </summary>
internal sealed class ReviewStore(ServerDatabase database, TimeProvider clock)
{
    // Well under SQLite's limit on bound parameters per statement.
    private const int Chunk = 5000;

    public Task<int> AcknowledgeAsync(IReadOnlyCollection<long> eventIds, bool acknowledged, string by, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, (connection, transaction, ids) => connection.ExecuteAsync(
            acknowledged
                ? $"UPDATE events SET acknowledged_ms = @Now, acknowledged_by = @By WHERE {database.Dialect.In("id", "@Ids")} AND deleted_ms IS NULL AND acknowledged_ms IS NULL"
                : $"UPDATE events SET acknowledged_ms = NULL, acknowledged_by = '' WHERE {database.Dialect.In("id", "@Ids")} AND deleted_ms IS NULL AND acknowledged_ms IS NOT NULL",
            new { Ids = ids, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), By = by },
            transaction), cancellationToken);

    public Task<int> FlagAsync(IReadOnlyCollection<long> eventIds, bool flagged, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, async (connection, transaction, ids) =>
        {
            var changed = await connection.ExecuteAsync(
                $"UPDATE events SET flagged = @Flagged WHERE {database.Dialect.In("id", "@Ids")} AND deleted_ms IS NULL AND flagged <> @Flagged",
                new { Ids = ids, Flagged = flagged ? 1 : 0 },
                transaction).ConfigureAwait(false);
            await RecomputeClipFlagsAsync(connection, transaction, database.Dialect, ids).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    public Task<int> DeleteAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken) =>
        ForChunksAsync(eventIds, async (connection, transaction, ids) =>
        {
            var changed = await connection.ExecuteAsync(
                $"UPDATE events SET deleted_ms = @Now, flagged = 0 WHERE {database.Dialect.In("id", "@Ids")} AND deleted_ms IS NULL",
                new { Ids = ids, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await RecomputeClipFlagsAsync(connection, transaction, database.Dialect, ids).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    /// <summary>Marks notifications seen and acknowledges their events; returns how many notifications changed.</summary>
    public Task<int> AcknowledgeNotificationsAsync(IReadOnlyCollection<long> notificationIds, string by, CancellationToken cancellationToken) =>
        ForChunksAsync(notificationIds, async (connection, transaction, ids) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                $"""
                UPDATE events SET acknowledged_ms = @Now, acknowledged_by = @By
                WHERE id IN (SELECT event_id FROM notifications WHERE {database.Dialect.In("id", "@Ids")}) AND deleted_ms IS NULL AND acknowledged_ms IS NULL
                """,
                new { Ids = ids, Now = now, By = by },
                transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                $"UPDATE notifications SET status = 'seen', acknowledged_ms = @Now, acknowledged_by = @By WHERE {database.Dialect.In("id", "@Ids")} AND acknowledged_ms IS NULL",
                new { Ids = ids, Now = now, By = by },
                transaction).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// SQL: whether a flagged event shows clip <c>clips</c>, as the 0 or 1 a clip's flag holds (EXISTS is already an
    /// integer on SQLite, a boolean on PostgreSQL that the integer column does not take uncast).
    /// </summary>
    public const string ShownByFlaggedEventSql =
        "CAST(EXISTS (SELECT 1 FROM events f WHERE f.flagged = 1 AND f.node_id = clips.node_id AND f.camera_id = clips.camera_id "
        + "AND f.start_ms <= clips.end_ms AND COALESCE(f.end_ms, f.start_ms) >= clips.start_ms) AS INTEGER)";

    /// <summary>Sets the flag of every clip that shows one of <paramref name="eventIds"/> from all the flagged events that show it.</summary>
    private static async Task RecomputeClipFlagsAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IReadOnlyList<long> eventIds)
    {
        var clipIds = (await connection.QueryAsync<string>(
            $"SELECT DISTINCT k.id FROM events e JOIN clips k ON {ClipIds.OverlapSql("k", "e.node_id", "e.camera_id", "e.start_ms", "COALESCE(e.end_ms, e.start_ms)")} WHERE {dialect.In("e.id", "@Ids")}",
            new { Ids = eventIds },
            transaction).ConfigureAwait(false)).ToList();
        if (clipIds.Count > 0)
        {
            await connection.ExecuteAsync($"UPDATE clips SET flagged = {ShownByFlaggedEventSql} WHERE {dialect.In("id", "@ClipIds")}", new { ClipIds = clipIds }, transaction).ConfigureAwait(false);
        }
    }

    private async Task<int> ForChunksAsync(IReadOnlyCollection<long> ids, Func<DbConnection, DbTransaction, IReadOnlyList<long>, Task<int>> work, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            changed += await database.WriteAsync((connection, transaction) => work(connection, transaction, chunk), cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }
}
