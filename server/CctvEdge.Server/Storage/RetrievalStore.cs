using System.Text.Json;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>
/// A retrieval as stored, with what its clip row says: the clip whose id is the retrieval's, sent by the node it was
/// asked of (another node announcing that id shows nothing here).
/// </summary>
internal sealed record RetrievalRow
{
    public string Id { get; init; } = "";
    public string NodeId { get; init; } = "";
    public string CameraId { get; init; } = "";
    public long StartMs { get; init; }
    public long EndMs { get; init; }
    public string State { get; init; } = "";
    public string Error { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; init; }
    public string? ClipState { get; init; }
    public long? ClipSize { get; init; }

    /// <summary>
    /// Where it stands: the request's own state until the node's clip exists, then <c>uploading</c> (announced, its
    /// bytes on the way) and <c>done</c> (stored, playable).
    /// </summary>
    public string Progress => ClipState switch
    {
        ClipStore.Stored => "done",
        not null => "uploading",
        _ => State,
    };
}

/// <summary>Video retrievals (migration 017) and the runs of video each node reports holding per camera.</summary>
internal sealed class RetrievalStore(ServerDatabase database, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Refused = "refused";

    private const string Select = """
        SELECT r.id, r.node_id, r.camera_id, r.start_ms, r.end_ms, r.state, r.error, r.requested_by, r.created_ms, r.updated_ms,
               c.state AS clip_state, c.size AS clip_size
        FROM retrievals r LEFT JOIN clips c ON c.id = r.id AND c.node_id = r.node_id
        """;

    public async Task AddAsync(string id, string nodeId, string cameraId, DateTimeOffset start, DateTimeOffset end, string requestedBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                """
                INSERT INTO retrievals (id, node_id, camera_id, start_ms, end_ms, requested_by, created_ms, updated_ms)
                VALUES (@Id, @NodeId, @CameraId, @Start, @End, @RequestedBy, @Now, @Now)
                """,
                new { Id = id, NodeId = nodeId, CameraId = cameraId, Start = start.ToUnixTimeMilliseconds(), End = end.ToUnixTimeMilliseconds(), RequestedBy = requestedBy, Now = now },
                transaction),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<RetrievalRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<RetrievalRow>($"{Select} WHERE r.id = @Id", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>The newest first, of a node (and camera) or of all.</summary>
    public async Task<IReadOnlyList<RetrievalRow>> ListAsync(string? nodeId, string? cameraId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<RetrievalRow>(
            $"""
            {Select}
            WHERE (@NodeId IS NULL OR r.node_id = @NodeId) AND (@CameraId IS NULL OR r.camera_id = @CameraId)
            ORDER BY r.created_ms DESC, r.id LIMIT @Limit
            """,
            new { NodeId = nodeId, CameraId = cameraId, Limit = limit }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Those whose range overlaps [fromMs, toMs), newest first: a day on the events page.</summary>
    public async Task<IReadOnlyList<RetrievalRow>> OverlappingAsync(long fromMs, long toMs, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<RetrievalRow>(
            $"{Select} WHERE r.end_ms > @From AND r.start_ms < @To ORDER BY r.created_ms DESC, r.id LIMIT @Limit",
            new { From = fromMs, To = toMs, Limit = limit }).ConfigureAwait(false)).ToList();
    }

    /// <summary>What a node has not answered yet: sent at its next hello (a command sent before a drop may be lost).</summary>
    public async Task<IReadOnlyList<RetrievalRow>> UnansweredAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<RetrievalRow>(
            $"{Select} WHERE r.node_id = @NodeId AND r.state IN ('{Pending}', '{Sent}') ORDER BY r.created_ms", new { NodeId = nodeId }).ConfigureAwait(false)).ToList();
    }

    /// <summary>Moves a retrieval on; a node's answer never takes it back to sent.</summary>
    public Task SetStateAsync(string id, string state, string error, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                $"UPDATE retrievals SET state = @State, error = @Error, updated_ms = @Now WHERE id = @Id AND NOT (@State = '{Sent}' AND state IN ('{Accepted}', '{Refused}'))",
                new { Id = id, State = state, Error = error, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>
    /// The runs of video a node last reported holding for a camera (empty when it never said: an older node), or null
    /// for a camera the server does not know.
    /// </summary>
    public async Task<IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)>?> RecordedAsync(string nodeId, string cameraId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var json = await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT recorded_json FROM cameras WHERE node_id = @NodeId AND id = @CameraId", new { NodeId = nodeId, CameraId = cameraId }).ConfigureAwait(false);
        return json is null ? null : ParseRecorded(json);
    }

    /// <summary>The column's text: <c>[[start_ms, end_ms], ...]</c>.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> ParseRecorded(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : (JsonSerializer.Deserialize<long[][]>(json) ?? []).Where(r => r.Length == 2)
                .Select(r => (DateTimeOffset.FromUnixTimeMilliseconds(r[0]), DateTimeOffset.FromUnixTimeMilliseconds(r[1]))).ToList();
}
