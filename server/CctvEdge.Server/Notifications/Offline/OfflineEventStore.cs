using System.Globalization;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Offline;

/// <summary>
/// The events the server itself raises when a node or a camera goes offline and comes back: an <c>offline</c> event
/// (camera "" for the whole node) stays open until an <c>online</c> event closes it. They are ordinary rows of
/// <c>events</c> (plugin "server"), so rules, channels and the web app treat them like any other; the open row is
/// the durable "this is down" mark, so a restart neither repeats the alert nor forgets the outage.
/// </summary>
internal sealed class OfflineEventStore(ServerDatabase database, TimeProvider clock)
{
    public const string OfflineKind = "offline";
    public const string OnlineKind = "online";

    /// <summary>The (node, camera) of every offline event not yet closed.</summary>
    public async Task<IReadOnlySet<(string NodeId, string CameraId)>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<(string, string)>(
            "SELECT node_id, camera_id FROM events WHERE plugin_id = @Plugin AND kind = @Kind AND end_ms IS NULL",
            new { Plugin = ServerEvents.PluginId, Kind = OfflineKind }).ConfigureAwait(false)).ToHashSet();
    }

    /// <summary>Raises an offline event that started at <paramref name="since"/>, unless one is already open.</summary>
    public Task<bool> RaiseOfflineAsync(string nodeId, string cameraId, DateTimeOffset since, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var open = await connection.ExecuteScalarAsync<long?>(
                    "SELECT id FROM events WHERE node_id = @NodeId AND camera_id = @CameraId AND plugin_id = @Plugin AND kind = @Kind AND end_ms IS NULL",
                    new { NodeId = nodeId, CameraId = cameraId, Plugin = ServerEvents.PluginId, Kind = OfflineKind },
                    transaction).ConfigureAwait(false);
                if (open is not null)
                {
                    return false;
                }

                return await InsertAsync(connection, transaction, nodeId, cameraId, OfflineKind, since, end: null, new { reason, since }).ConfigureAwait(false) is not null;
            },
            cancellationToken);

    /// <summary>Closes the open offline event and, unless <paramref name="quietly"/> (a camera deactivated on purpose), raises an online event.</summary>
    public Task<bool> CloseAsync(string nodeId, string cameraId, bool quietly, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = clock.GetUtcNow();
                var since = await connection.ExecuteScalarAsync<long?>(
                    """
                    UPDATE events SET end_ms = @Now, sequence = sequence + 1
                    WHERE node_id = @NodeId AND camera_id = @CameraId AND plugin_id = @Plugin AND kind = @Kind AND end_ms IS NULL
                    RETURNING start_ms
                    """,
                    new { NodeId = nodeId, CameraId = cameraId, Plugin = ServerEvents.PluginId, Kind = OfflineKind, Now = now.ToUnixTimeMilliseconds() },
                    transaction).ConfigureAwait(false);
                if (since is null || quietly)
                {
                    return false;
                }

                var offline = now - DateTimeOffset.FromUnixTimeMilliseconds(since.Value);
                return await InsertAsync(connection, transaction, nodeId, cameraId, OnlineKind, now, now, new { offlineSeconds = Math.Round(offline.TotalSeconds) }).ConfigureAwait(false) is not null;
            },
            cancellationToken);

    private Task<long?> InsertAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, string nodeId, string cameraId, string kind, DateTimeOffset start, DateTimeOffset? end, object payload) =>
        ServerEvents.InsertAsync(
            connection,
            transaction,
            new ServerEvent(
                nodeId,
                string.Create(CultureInfo.InvariantCulture, $"server-{kind}-{(cameraId.Length == 0 ? "node" : cameraId)}-{start.ToUnixTimeMilliseconds()}"),
                cameraId,
                kind,
                start,
                end,
                Peak: 0,
                payload),
            clock.GetUtcNow());
}
