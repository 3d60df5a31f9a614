using System.Data.Common;
using System.Text.Json;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage.Database;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Storage;

/// <summary>What one batch changed.</summary>
/// <param name="AcknowledgedSequence">The highest sequence now stored for the node: the ack to send.</param>
/// <param name="Stored">Results stored by this batch (duplicates and rejects excluded).</param>
/// <param name="EventsChanged">Events or clips inserted or updated.</param>
internal sealed record IngestOutcome(ulong AcknowledgedSequence, int Stored, int EventsChanged);

/// <summary>Hears of each batch once it is committed (server processors); must queue, never block ingest.</summary>
internal interface IIngestListener
{
    void OnStored(string nodeId, IReadOnlyList<Result> stored);
}

/// <summary>One session's batch of results, as it came.</summary>
internal sealed record IngestBatch(string NodeId, IReadOnlyList<Result> Results);

/// <summary>
/// Stores result batches exactly once. Batches (of one node or of several) and each node's last sequence are written
/// in one transaction, so after a crash either all of it is stored and acknowledged, or none and the nodes resend.
/// Results at or below a node's last sequence are duplicates of a resend and are skipped. A result that breaks the
/// rules is logged and skipped (its sequence still advances, or the node would resend it forever). After the commit,
/// listeners hear of what was stored.
/// </summary>
internal sealed partial class ResultIngestor(ServerDatabase database, MediaStore media, TimeProvider clock, IEnumerable<IIngestListener> listeners, ILogger<ResultIngestor> logger)
{
    public async Task<IngestOutcome> StoreAsync(string nodeId, IReadOnlyList<Result> results, CancellationToken cancellationToken) =>
        (await StoreAsync([new IngestBatch(nodeId, results)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Stores <paramref name="batches"/> in order in one transaction; one outcome a batch.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> StoreAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var filePaths = await WriteFilesAsync(batches, cancellationToken).ConfigureAwait(false);
        var stored = new List<Result>[batches.Count];
        var outcomes = await database.WriteAsync(async (connection, transaction) =>
        {
            using var statements = new PreparedStatements(connection, transaction);
            var dialect = database.Dialect;
            var lastByNode = new Dictionary<string, ulong>(StringComparer.Ordinal);
            var motion = new MotionPeaks();
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var outcomes = new IngestOutcome[batches.Count];
            for (var b = 0; b < batches.Count; b++)
            {
                var (nodeId, results) = batches[b];
                if (!lastByNode.TryGetValue(nodeId, out var last))
                {
                    last = (ulong)await connection.ExecuteScalarAsync<long>("SELECT last_sequence FROM nodes WHERE id = @NodeId", new { NodeId = nodeId }, transaction).ConfigureAwait(false);
                }

                stored[b] = [];
                int events = 0, clips = 0;
                foreach (var result in results)
                {
                    if (result.Sequence <= last)
                    {
                        continue;
                    }

                    last = result.Sequence;
                    if (Validate(result) is { } problem)
                    {
                        LogRejected(logger, nodeId, result.Sequence, problem);
                        continue;
                    }

                    stored[b].Add(result);
                    switch (result.BodyCase)
                    {
                        case Result.BodyOneofCase.Event:
                            events += UpsertEvent(statements, dialect, nodeId, result, now);
                            break;
                        case Result.BodyOneofCase.Measurement when result.SensorId.Length > 0:
                            await SensorStore.InsertReadingAsync(connection, transaction, dialect, nodeId, result, now).ConfigureAwait(false);
                            break;
                        case Result.BodyOneofCase.Measurement:
                            InsertMeasurement(statements, motion, nodeId, result);
                            break;
                        case Result.BodyOneofCase.File when filePaths.TryGetValue((nodeId, result.Sequence), out var path):
                            await InsertFileAsync(connection, transaction, nodeId, result, path, now).ConfigureAwait(false);
                            break;
                        case Result.BodyOneofCase.Clip:
                            clips += await InsertClipAsync(connection, transaction, nodeId, result, now).ConfigureAwait(false);
                            break;
                    }
                }

                lastByNode[nodeId] = last;
                outcomes[b] = new IngestOutcome(last, stored[b].Count, events + clips);
            }

            motion.Write(statements, dialect);
            foreach (var (nodeId, last) in lastByNode)
            {
                statements.Execute("UPDATE nodes SET last_sequence = @Last WHERE id = @NodeId AND last_sequence < @Last", ("@Last", (long)last), ("@NodeId", nodeId));
            }

            return outcomes;
        }, cancellationToken).ConfigureAwait(false);
        for (var b = 0; b < batches.Count; b++)
        {
            if (stored[b].Count > 0)
            {
                foreach (var listener in listeners)
                {
                    listener.OnStored(batches[b].NodeId, stored[b]);
                }
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Files go to disk (fsynced) before the transaction that names them; a crash in between leaves an orphan file,
    /// never a row without its file.
    /// </summary>
    private async Task<Dictionary<(string NodeId, ulong Sequence), string>> WriteFilesAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var filePaths = new Dictionary<(string, ulong), string>();
        foreach (var (nodeId, results) in batches.Where(b => b.Results.Any(r => r.BodyCase == Result.BodyOneofCase.File)))
        {
            var known = await ReadLastSequenceAsync(nodeId, cancellationToken).ConfigureAwait(false);
            foreach (var result in results.Where(r => r.Sequence > known && r.BodyCase == Result.BodyOneofCase.File))
            {
                if (Validate(result) is null)
                {
                    var at = result.ProducedAt?.ToDateTimeOffset() ?? clock.GetUtcNow();
                    filePaths[(nodeId, result.Sequence)] = await media.WriteResultFileAsync(nodeId, result.CameraId, result.Sequence, result.File.ContentType, at, result.File.Data.Memory, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return filePaths;
    }

    /// <summary>Why a result cannot be stored, or null when it can.</summary>
    internal static string? Validate(Result result)
    {
        // The node itself reports node-wide events (a loss report) without a camera; so does a sensor linked to none,
        // for its readings and events (never files or clips, which are stored by camera).
        if (result.SensorId.Length > 0 && !Identifier.IsValid(result.SensorId))
        {
            return $"sensor id '{result.SensorId}' is invalid";
        }

        var sensorWide = result.SensorId.Length > 0 && result.BodyCase is Result.BodyOneofCase.Event or Result.BodyOneofCase.Measurement;
        var nodeWide = result.CameraId.Length == 0 && (result.PluginId == "node" || sensorWide);
        if (!nodeWide && !Identifier.IsValid(result.CameraId))
        {
            return $"camera id '{result.CameraId}' is invalid";
        }

        if (!Identifier.IsValid(result.PluginId))
        {
            return $"plugin id '{result.PluginId}' is invalid";
        }

        switch (result.BodyCase)
        {
            case Result.BodyOneofCase.Event:
                var e = result.Event;
                if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 64 || string.IsNullOrWhiteSpace(e.Kind) || e.Kind.Length > 32)
                {
                    return "event id or kind is missing or too long";
                }

                if (e.Start is null || (e.End is not null && e.End.ToDateTimeOffset() < e.Start.ToDateTimeOffset()))
                {
                    return "event has no start, or ends before it starts";
                }

                return e.PayloadJson.Length > 0 && !IsJson(e.PayloadJson) ? "event payload is not JSON" : null;
            case Result.BodyOneofCase.Measurement:
                var m = result.Measurement;
                return string.IsNullOrWhiteSpace(m.Name) || m.Name.Length > 64 || m.Unit.Length > 32 || !double.IsFinite(m.Value) || m.At is null ? "measurement has no name, time or finite value, or a unit too long" : null;
            case Result.BodyOneofCase.File:
                var f = result.File;
                return f.Data.Length is 0 or > 4 * 1024 * 1024 || string.IsNullOrWhiteSpace(f.ContentType) || (f.ClipId.Length > 0 && !ClipIds.IsValid(f.ClipId))
                    ? "file is empty, too large, has no content type or names an invalid clip id"
                    : null;
            case Result.BodyOneofCase.Clip:
                var c = result.Clip;
                return !ClipIds.IsValid(c.ClipId) || c.Size is 0 or > ClipIds.MaxSize || c.Sha256.Length != 32 || c.Start is null || c.End is null || c.End.ToDateTimeOffset() < c.Start.ToDateTimeOffset()
                    ? "clip has an invalid id, size, sha256 or times"
                    : null;
            default:
                return "result has no body";
        }
    }

    private async Task<ulong> ReadLastSequenceAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (ulong)await connection.ExecuteScalarAsync<long>("SELECT last_sequence FROM nodes WHERE id = @NodeId", new { NodeId = nodeId }).ConfigureAwait(false);
    }

    // A later result of an event (its end, a higher peak) updates the row; a resent older one changes nothing.
    private static readonly DialectSql UpsertEventSql = new(d =>
        $"""
        INSERT INTO events (node_id, event_id, camera_id, plugin_id, kind, start_ms, end_ms, peak, zones_json, boxes_json, payload_json, sequence, received_ms)
        VALUES (@NodeId, @EventId, @CameraId, @PluginId, @Kind, @Start, @End, @Peak, @Zones, @Boxes, @Payload, @Sequence, @Now)
        ON CONFLICT (node_id, event_id) DO UPDATE SET end_ms = excluded.end_ms, peak = {d.Greatest("events.peak", "excluded.peak")},
            zones_json = excluded.zones_json, boxes_json = excluded.boxes_json, payload_json = excluded.payload_json, sequence = excluded.sequence
        WHERE excluded.sequence > events.sequence
        """);

    private static int UpsertEvent(PreparedStatements statements, SqlDialect dialect, string nodeId, Result result, long now)
    {
        var e = result.Event;
        return statements.Execute(
            UpsertEventSql.For(dialect),
            ("@NodeId", nodeId),
            ("@EventId", e.EventId),
            ("@CameraId", result.CameraId),
            ("@PluginId", result.PluginId),
            ("@Kind", e.Kind),
            ("@Start", e.Start.ToDateTimeOffset().ToUnixTimeMilliseconds()),
            ("@End", e.End?.ToDateTimeOffset().ToUnixTimeMilliseconds()),
            ("@Peak", double.IsFinite(e.Peak) ? e.Peak : 0),
            ("@Zones", JsonSerializer.Serialize(e.Zones)),
            ("@Boxes", JsonSerializer.Serialize(e.Boxes.Select(b => new[] { b.X, b.Y, b.Width, b.Height }))),
            ("@Payload", e.PayloadJson),
            ("@Sequence", (long)result.Sequence),
            ("@Now", now));
    }

    private static void InsertMeasurement(PreparedStatements statements, MotionPeaks motion, string nodeId, Result result)
    {
        var m = result.Measurement;
        var at = m.At.ToDateTimeOffset().ToUnixTimeMilliseconds();
        statements.Execute(
            "INSERT INTO measurements (node_id, camera_id, plugin_id, name, at_ms, value, unit) VALUES (@NodeId, @CameraId, @PluginId, @Name, @At, @Value, @Unit)",
            ("@NodeId", nodeId), ("@CameraId", result.CameraId), ("@PluginId", result.PluginId), ("@Name", m.Name), ("@At", at), ("@Value", m.Value), ("@Unit", m.Unit));
        if (m.Name == MotionMinutes.Series)
        {
            motion.Add(nodeId, result.CameraId, at, m.Value);
        }
    }

    private static Task InsertFileAsync(DbConnection connection, DbTransaction transaction, string nodeId, Result result, string path, long now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO files (node_id, camera_id, plugin_id, event_id, clip_id, kind, name, content_type, size, path, created_ms)
            VALUES (@NodeId, @CameraId, @PluginId, @EventId, @ClipId, @Kind, @Name, @ContentType, @Size, @Path, @Now)
            """,
            new
            {
                NodeId = nodeId,
                result.CameraId,
                result.PluginId,
                result.File.EventId,
                result.File.ClipId,
                result.File.Kind,
                result.File.Name,
                result.File.ContentType,
                Size = (long)result.File.Data.Length,
                Path = path,
                Now = now,
            },
            transaction);

    /// <summary>
    /// A clip announced by its node; a second announcement of the same clip changes nothing. A clip that shows an event
    /// a reviewer flagged before the clip arrived is flagged at once, so retention keeps it.
    /// </summary>
    private static async Task<int> InsertClipAsync(DbConnection connection, DbTransaction transaction, string nodeId, Result result, long now)
    {
        var c = result.Clip;
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO clips (id, node_id, camera_id, event_id, reason, start_ms, end_ms, size, sha256, content_type, announced_ms)
            VALUES (@Id, @NodeId, @CameraId, @EventId, @Reason, @Start, @End, @Size, @Sha256, @ContentType, @Now)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                Id = c.ClipId,
                NodeId = nodeId,
                result.CameraId,
                c.EventId,
                c.Reason,
                Start = c.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(),
                End = c.End.ToDateTimeOffset().ToUnixTimeMilliseconds(),
                Size = (long)c.Size,
                Sha256 = c.Sha256.ToByteArray(),
                ContentType = string.IsNullOrEmpty(c.ContentType) ? "video/mp4" : c.ContentType,
                Now = now,
            },
            transaction).ConfigureAwait(false);
        if (inserted > 0)
        {
            await connection.ExecuteAsync($"UPDATE clips SET flagged = {ReviewStore.ShownByFlaggedEventSql} WHERE id = @Id", new { Id = c.ClipId }, transaction).ConfigureAwait(false);
        }

        return inserted;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Node {NodeId}: result {Sequence} rejected: {Problem}.")]
    private static partial void LogRejected(ILogger logger, string nodeId, ulong sequence, string problem);
}
