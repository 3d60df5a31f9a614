using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

internal sealed record SiteMapRow
{
    public long Id { get; init; }
    public string Site { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>When the plan was uploaded; null for a blank canvas.</summary>
    public long? ImageMs { get; init; }
    public string UpdatedBy { get; init; } = "";
    public long UpdatedMs { get; init; }
}

/// <summary>A pin: a camera or sensor of a node at a spot given as fractions of the plan's width and height.</summary>
internal sealed record SiteMapPinRow(string Kind, string NodeId, string DeviceId, double X, double Y);

internal sealed record SiteMapImageRow
{
    public string ContentType { get; init; } = "";
    public byte[] Bytes { get; init; } = [];
}

/// <summary>A pin with its device's newest event, when it has one.</summary>
internal sealed record PinEventRow
{
    public string Kind { get; init; } = "";
    public string NodeId { get; init; } = "";
    public string DeviceId { get; init; } = "";
    public double X { get; init; }
    public double Y { get; init; }
    public long? LatestEventId { get; init; }
    public long? LatestStartMs { get; init; }
}

/// <summary>The site_maps tables: maps per site, their plan images and their pins.</summary>
internal sealed class SiteMapStore(ServerDatabase database, TimeProvider clock)
{
    private const string Columns = "id, site, name, image_ms, updated_by, updated_ms";

    /// <summary>The maps of <paramref name="site"/> (every site when null), by site then name.</summary>
    public async Task<IReadOnlyList<SiteMapRow>> ListAsync(string? site, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var where = site is null ? "" : "WHERE site = @Site";
        return (await connection.QueryAsync<SiteMapRow>($"SELECT {Columns} FROM site_maps {where} ORDER BY site, name", new { Site = site }).ConfigureAwait(false)).ToList();
    }

    public async Task<SiteMapRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SiteMapRow>($"SELECT {Columns} FROM site_maps WHERE id = @Id", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>Creates a map (<paramref name="id"/> null) or renames one or moves it to another site; the id with the outcome (the other map's id when the name is taken on that site).</summary>
    public Task<(SaveOutcome Outcome, long Id)> SaveAsync(long? id, string site, string name, string by, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var values = new { Id = id, Site = site, Name = name, By = by, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                if (await connection.ExecuteScalarAsync<long?>("SELECT id FROM site_maps WHERE site = @Site AND name = @Name AND id IS DISTINCT FROM @Id", values, transaction).ConfigureAwait(false) is { } taken)
                {
                    return (SaveOutcome.NameTaken, taken);
                }

                if (id is null)
                {
                    return (SaveOutcome.Saved, await connection.ExecuteScalarAsync<long>(
                        "INSERT INTO site_maps (site, name, updated_by, updated_ms) VALUES (@Site, @Name, @By, @Now) RETURNING id", values, transaction).ConfigureAwait(false));
                }

                var updated = await connection.ExecuteAsync(
                    "UPDATE site_maps SET site = @Site, name = @Name, updated_by = @By, updated_ms = @Now WHERE id = @Id", values, transaction).ConfigureAwait(false);
                return (updated > 0 ? SaveOutcome.Saved : SaveOutcome.NotFound, id.Value);
            },
            cancellationToken);

    /// <summary>False when there is no such map; its image and pins go with it.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM site_maps WHERE id = @Id", new { Id = id }, transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Replaces the plan (null bytes: back to a blank canvas); false when there is no such map.</summary>
    public Task<bool> SetImageAsync(long id, string? contentType, byte[]? bytes, string by, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                var values = new { Id = id, ContentType = contentType, Bytes = bytes, By = by, Now = now, ImageMs = bytes is null ? (long?)null : now };
                if (await connection.ExecuteAsync("UPDATE site_maps SET image_ms = @ImageMs, updated_by = @By, updated_ms = @Now WHERE id = @Id", values, transaction).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await connection.ExecuteAsync(
                    bytes is null
                        ? "DELETE FROM site_map_images WHERE map_id = @Id"
                        : "INSERT INTO site_map_images (map_id, content_type, bytes) VALUES (@Id, @ContentType, @Bytes) ON CONFLICT (map_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes",
                    values,
                    transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>The plan's bytes and type, or null for a blank canvas or an unknown map.</summary>
    public async Task<(string ContentType, byte[] Bytes)?> GetImageAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SiteMapImageRow>("SELECT content_type, bytes FROM site_map_images WHERE map_id = @Id", new { Id = id }).ConfigureAwait(false);
        return row is null ? null : (row.ContentType, row.Bytes);
    }

    public async Task<IReadOnlyList<SiteMapPinRow>> PinsAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SiteMapPinRow>(
            "SELECT kind AS Kind, node_id AS NodeId, device_id AS DeviceId, x AS X, y AS Y FROM site_map_pins WHERE map_id = @Id ORDER BY kind, node_id, device_id", new { Id = id }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Replaces every pin of the map at once (the editor always sends the whole set); false when there is no such map.</summary>
    public Task<bool> SetPinsAsync(long id, IReadOnlyList<SiteMapPinRow> pins, string by, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var values = new { Id = id, By = by, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
                if (await connection.ExecuteAsync("UPDATE site_maps SET updated_by = @By, updated_ms = @Now WHERE id = @Id", values, transaction).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await connection.ExecuteAsync("DELETE FROM site_map_pins WHERE map_id = @Id", values, transaction).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "INSERT INTO site_map_pins (map_id, kind, node_id, device_id, x, y) VALUES (@MapId, @Kind, @NodeId, @DeviceId, @X, @Y)",
                    pins.Select(p => new { MapId = id, p.Kind, p.NodeId, p.DeviceId, p.X, p.Y }),
                    transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// The map's pins with each device's newest event that is not deleted, in one query: a camera's by its camera id
    /// (events_by_camera); a sensor's are the server's threshold events, which name the sensor in their payload
    /// (events_by_sensor, migration 016), so a page refresh never scans a node's whole history.
    /// </summary>
    public async Task<IReadOnlyList<PinEventRow>> PinsWithLatestEventAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<PinEventRow>(LatestEventSql.For(database.Dialect), new { Id = id }).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// The query of <see cref="PinsWithLatestEventAsync"/>, binding <c>@Id</c>. A sensor's events are found by the
    /// payload's <c>sensor</c> spelled as each engine's events_by_sensor index spells it (migration 016 and its twin).
    /// </summary>
    internal static readonly DialectSql LatestEventSql = new(d => $"""
        SELECT p.Kind, p.NodeId, p.DeviceId, p.X, p.Y, p.LatestEventId, e.start_ms AS LatestStartMs
        FROM (
            SELECT kind AS Kind, node_id AS NodeId, device_id AS DeviceId, x AS X, y AS Y,
                CASE kind
                    WHEN 'camera' THEN (SELECT id FROM events WHERE node_id = pins.node_id AND camera_id = pins.device_id AND deleted_ms IS NULL ORDER BY start_ms DESC LIMIT 1)
                    ELSE (SELECT id FROM events WHERE kind = 'sensor' AND node_id = pins.node_id AND {EventSql.ServerPayloadField(d, "sensor")} = pins.device_id AND deleted_ms IS NULL ORDER BY start_ms DESC LIMIT 1)
                END AS LatestEventId
            FROM site_map_pins pins WHERE map_id = @Id
        ) p
        LEFT JOIN events e ON e.id = p.LatestEventId
        ORDER BY p.Kind, p.NodeId, p.DeviceId
        """);
}
