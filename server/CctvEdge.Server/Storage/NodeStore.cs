using System.Text.Json;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>Nodes and their cameras: registered by hellos, refreshed by heartbeats.</summary>
internal sealed class NodeStore(ServerDatabase database, TimeProvider clock)
{
    /// <summary>Registers or refreshes a node and its cameras, marks it connected, returns its last stored sequence.</summary>
    public Task<ulong> RegisterAsync(Hello hello, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var plugins = hello.Plugins.Select(PluginRecord.From).ToList();
            await connection.ExecuteAsync(
                """
                INSERT INTO nodes (id, name, agent_version, hostname, first_seen_ms, last_seen_ms, connected, plugins_json)
                VALUES (@Id, @Name, @Version, @Hostname, @Now, @Now, 1, @Plugins)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, agent_version = excluded.agent_version,
                    hostname = excluded.hostname, last_seen_ms = excluded.last_seen_ms, connected = 1, plugins_json = excluded.plugins_json
                """,
                new { Id = hello.NodeId, Name = hello.NodeName, Version = hello.AgentVersion, hello.Hostname, Now = now, Plugins = JsonSerializer.Serialize(plugins) },
                transaction).ConfigureAwait(false);
            await UpsertCamerasAsync(connection, transaction, database.Dialect, hello.NodeId, hello.Cameras).ConfigureAwait(false);
            await SensorStore.UpsertAsync(connection, transaction, database.Dialect, hello.NodeId, hello.Sensors, now).ConfigureAwait(false);
            return (ulong)await connection.ExecuteScalarAsync<long>("SELECT last_sequence FROM nodes WHERE id = @Id", new { Id = hello.NodeId }, transaction).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The node's cameras as configured now: new ones added, deactivated ones marked, and those no longer configured
    /// marked removed (their events and clips stay reviewable; they leave the camera lists).
    /// </summary>
    private static async Task UpsertCamerasAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, SqlDialect dialect, string nodeId, IEnumerable<CameraInfo> cameras)
    {
        var ids = new List<string>();
        foreach (var camera in cameras)
        {
            ids.Add(camera.Id);
            await connection.ExecuteAsync(
                """
                INSERT INTO cameras (node_id, id, name, source_kind, detect_width, detect_height, detect_fps, state)
                VALUES (@NodeId, @Id, @Name, @SourceKind, @Width, @Height, @Fps, @State)
                ON CONFLICT (node_id, id) DO UPDATE SET name = excluded.name, source_kind = excluded.source_kind,
                    detect_width = excluded.detect_width, detect_height = excluded.detect_height, detect_fps = excluded.detect_fps,
                    state = CASE WHEN excluded.state = 'deactivated' OR cameras.state IN ('deactivated', 'removed') THEN excluded.state ELSE cameras.state END
                """,
                new { NodeId = nodeId, camera.Id, camera.Name, camera.SourceKind, Width = (long)camera.DetectWidth, Height = (long)camera.DetectHeight, Fps = camera.DetectFps, State = camera.Deactivated ? "deactivated" : "starting" },
                transaction).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(
            $"UPDATE cameras SET state = 'removed' WHERE node_id = @NodeId AND {dialect.NotIn("id", "@Ids")}",
            new { NodeId = nodeId, Ids = ids },
            transaction).ConfigureAwait(false);
    }

    public Task RecordHeartbeatAsync(string nodeId, Heartbeat heartbeat, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (heartbeat.CameraSet is { } set)
            {
                await UpsertCamerasAsync(connection, transaction, database.Dialect, nodeId, set.Cameras).ConfigureAwait(false);
            }

            // A node before sensors sends none; a node with sensors lists every configured one in each heartbeat.
            if (heartbeat.Sensors.Count > 0)
            {
                await SensorStore.UpsertAsync(connection, transaction, database.Dialect, nodeId, heartbeat.Sensors, clock.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
            }

            var instances = heartbeat.Plugins.Select(PluginRecord.From).ToList();
            if (heartbeat.InstalledPlugins is { } installed)
            {
                // Plugin folders were added, replaced or removed on the node since its hello.
                await connection.ExecuteAsync(
                    "UPDATE nodes SET plugins_json = @Plugins WHERE id = @NodeId",
                    new { NodeId = nodeId, Plugins = JsonSerializer.Serialize(installed.Plugins.Select(PluginRecord.From)) },
                    transaction).ConfigureAwait(false);
            }

            await connection.ExecuteAsync(
                """
                UPDATE nodes SET last_seen_ms = @Now, cpu_percent = @Cpu, memory_bytes = @Memory, disk_free_bytes = @DiskFree,
                    disk_total_bytes = @DiskTotal, pending_results = @Pending, lost_results = @Lost, instances_json = @Instances,
                    pending_clips = @PendingClips, pending_clip_bytes = @PendingClipBytes, lost_clips = @LostClips, upload_error = @UploadError,
                    config_applied = CASE WHEN @ConfigApplied > 0 THEN @ConfigApplied ELSE config_applied END,
                    cpu_temperature = @CpuTemperature, clock_skew_ms = @ClockSkew, oldest_pending_ms = @OldestPending,
                    upload_policy_json = @UploadPolicy
                WHERE id = @NodeId
                """,
                new
                {
                    NodeId = nodeId,
                    Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    Cpu = heartbeat.CpuPercent,
                    Memory = (long)heartbeat.MemoryBytes,
                    DiskFree = (long)heartbeat.DiskFreeBytes,
                    DiskTotal = (long)heartbeat.DiskTotalBytes,
                    Pending = (long)heartbeat.PendingResults,
                    Lost = (long)heartbeat.LostResults,
                    Instances = JsonSerializer.Serialize(instances),
                    PendingClips = (long)heartbeat.PendingClips,
                    PendingClipBytes = (long)heartbeat.PendingClipBytes,
                    LostClips = (long)heartbeat.LostClips,
                    heartbeat.UploadError,
                    ConfigApplied = (long)heartbeat.ConfigVersion,
                    CpuTemperature = heartbeat.HasCpuTemperatureCelsius ? heartbeat.CpuTemperatureCelsius : (double?)null,
                    ClockSkew = heartbeat.NodeTime is { } nodeTime ? (long)(clock.GetUtcNow() - nodeTime.ToDateTimeOffset()).TotalMilliseconds : (long?)null,
                    OldestPending = heartbeat.OldestPendingAt?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
                    UploadPolicy = heartbeat.UploadPolicy is { } policy ? Google.Protobuf.JsonFormatter.Default.Format(policy) : "",
                },
                transaction).ConfigureAwait(false);
            if (heartbeat.DiskTotalBytes > 0)
            {
                // The last reading of each local day: the storage page's days-until-full forecast for the node. The day
                // is the server process's local day of the server clock (what SQLite's 'localtime' gave, and the web's
                // LocalDay counts), worked out here because PostgreSQL's time zone is the database server's, not ours.
                await connection.ExecuteAsync(
                    """
                    INSERT INTO node_disk_days (node_id, day, free_bytes, total_bytes)
                    VALUES (@NodeId, @Day, @Free, @Total)
                    ON CONFLICT (node_id, day) DO UPDATE SET free_bytes = excluded.free_bytes, total_bytes = excluded.total_bytes
                    """,
                    new { NodeId = nodeId, Day = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.Local).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Free = (long)heartbeat.DiskFreeBytes, Total = (long)heartbeat.DiskTotalBytes },
                    transaction).ConfigureAwait(false);
            }

            // A heartbeat built while a change is being applied may still report a camera just switched off or
            // removed; its camera set says what is configured, and wins.
            foreach (var camera in heartbeat.Cameras)
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE cameras SET state = @State, error = @Error, fps = @Fps, frames_total = @Frames, last_frame_ms = @LastFrame,
                        recorded_json = @Recorded
                    WHERE node_id = @NodeId AND id = @CameraId AND state NOT IN ('deactivated', 'removed')
                    """,
                    new
                    {
                        NodeId = nodeId,
                        camera.CameraId,
                        State = camera.State.ToString().ToLowerInvariant(),
                        camera.Error,
                        Fps = camera.FramesPerSecond,
                        Frames = (long)camera.FramesTotal,
                        LastFrame = camera.LastFrameAt?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
                        Recorded = RecordedJson(camera.Recorded),
                    },
                    transaction).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);

    /// <summary>
    /// The runs of video a camera's node holds, as <c>[[start_ms, end_ms], ...]</c>; at most as many as a node sends,
    /// well-formed runs only (a node's heartbeat is not trusted to be sane).
    /// </summary>
    internal static string RecordedJson(IEnumerable<TimeRange> ranges) =>
        JsonSerializer.Serialize(ranges.Take(200)
            .Where(r => r.Start is not null && r.End is not null && r.End.ToDateTimeOffset() > r.Start.ToDateTimeOffset())
            .Select(r => new[] { r.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(), r.End.ToDateTimeOffset().ToUnixTimeMilliseconds() }));

    public Task SetDisconnectedAsync(string nodeId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE nodes SET connected = 0, last_seen_ms = @Now WHERE id = @NodeId",
                new { NodeId = nodeId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction),
            cancellationToken);

    /// <summary>At start no node is connected, whatever the database says after a crash.</summary>
    public Task ResetConnectionsAsync(CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync("UPDATE nodes SET connected = 0", transaction: transaction), cancellationToken);

    /// <summary>Records that a camera has a new snapshot; false when the camera is unknown.</summary>
    public Task<bool> SetSnapshotTimeAsync(string nodeId, string cameraId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE cameras SET snapshot_ms = @At WHERE node_id = @NodeId AND id = @CameraId",
                new { NodeId = nodeId, CameraId = cameraId, At = at.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <summary>Puts a node in a site (empty: none); false for an unknown node.</summary>
    public async Task<bool> SetSiteAsync(string nodeId, string site, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("UPDATE nodes SET site = @Site WHERE id = @NodeId", new { NodeId = nodeId, Site = site }, transaction),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>The sites that have a node, in order.</summary>
    public async Task<IReadOnlyList<string>> ListSitesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT DISTINCT site FROM nodes WHERE site <> '' ORDER BY site").ConfigureAwait(false)).ToList();
    }

    public async Task<IReadOnlyList<NodeRow>> ListNodesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NodeRow>("SELECT * FROM nodes ORDER BY name, id").ConfigureAwait(false)).ToList();
    }

    public async Task<NodeRow?> FindNodeAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<NodeRow>("SELECT * FROM nodes WHERE id = @NodeId", new { NodeId = nodeId }).ConfigureAwait(false);
    }

    /// <summary>Each node's disk readings per UTC day since <paramref name="fromDay"/> (yyyy-MM-dd), oldest first.</summary>
    public async Task<IReadOnlyList<NodeDiskDayRow>> DiskDaysAsync(string fromDay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NodeDiskDayRow>("SELECT * FROM node_disk_days WHERE day >= @From ORDER BY node_id, day", new { From = fromDay }).ConfigureAwait(false)).ToList();
    }

    public async Task<IReadOnlyList<CameraRow>> ListCamerasAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CameraRow>("SELECT * FROM cameras WHERE state <> 'removed' ORDER BY node_id, name, id").ConfigureAwait(false)).ToList();
    }

}

/// <summary>A plugin or plugin instance as stored in a node's JSON columns.</summary>
internal sealed record PluginRecord(string Id, string? CameraId, string Version, string State, string Error, long Errors, long FramesDropped)
{
    /// <summary>Calls that took longer than the node's per-call budget.</summary>
    public long CallsOverBudget { get; init; }

    /// <summary>A problem that did not stop the instance (its latest exception, refused settings).</summary>
    public string Warning { get; init; } = "";

    /// <summary>JSON Schema of the plugin's settings (installed plugins); null when it declares none.</summary>
    public JsonElement? SettingsSchema { get; init; }

    /// <summary>The records of a node's <c>plugins_json</c> or <c>instances_json</c> column.</summary>
    public static IReadOnlyList<PluginRecord> ListFrom(string json) => JsonSerializer.Deserialize<List<PluginRecord>>(json) ?? [];

    /// <summary>A plugin as installed (no camera) or an instance on a camera, as the node reported it.</summary>
    public static PluginRecord From(PluginInfo p) =>
        new(p.Id, p.CameraId.Length == 0 ? null : p.CameraId, p.Version, StateName(p.State), p.Error, (long)p.Errors, (long)p.FramesDropped)
        {
            CallsOverBudget = (long)p.CallsOverBudget,
            Warning = p.Warning,
            SettingsSchema = ParseSchema(p.SettingsSchemaJson),
        };

    private static string StateName(PluginState state) => state switch
    {
        PluginState.Running => "running",
        PluginState.Failed => "failed",
        PluginState.Disabled => "disabled",
        _ => "unknown",
    };

    /// <summary>The schema as JSON, or null when there is none or it is not JSON (a node is not trusted to send JSON).</summary>
    private static JsonElement? ParseSchema(string json)
    {
        if (json.Length == 0 || json.Length > 256 * 1024)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record NodeRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string AgentVersion { get; init; } = "";
    public string Hostname { get; init; } = "";
    public long FirstSeenMs { get; init; }
    public long LastSeenMs { get; init; }
    public bool Connected { get; init; }
    public long LastSequence { get; init; }
    public double? CpuPercent { get; init; }
    public long? MemoryBytes { get; init; }
    public long? DiskFreeBytes { get; init; }
    public long? DiskTotalBytes { get; init; }
    public long PendingResults { get; init; }
    public long LostResults { get; init; }
    public string PluginsJson { get; init; } = "[]";
    public string InstancesJson { get; init; } = "[]";
    public long PendingClips { get; init; }
    public long PendingClipBytes { get; init; }
    public long LostClips { get; init; }
    public string UploadError { get; init; } = "";
    public long ConfigApplied { get; init; }
    public long ConfigRefused { get; init; }
    public string ConfigError { get; init; } = "";
    public string Site { get; init; } = "";
    public double? CpuTemperature { get; init; }
    public long? ClockSkewMs { get; init; }
    public long? OldestPendingMs { get; init; }

    /// <summary>The node's <see cref="Protocol.V1.UploadPolicyStatus"/> in protobuf JSON; empty until reported.</summary>
    public string UploadPolicyJson { get; init; } = "";
}

internal sealed record NodeDiskDayRow
{
    public string NodeId { get; init; } = "";
    public string Day { get; init; } = "";
    public long FreeBytes { get; init; }
    public long TotalBytes { get; init; }
}

internal sealed record CameraRow
{
    public string NodeId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string SourceKind { get; init; } = "";
    public long DetectWidth { get; init; }
    public long DetectHeight { get; init; }
    public double DetectFps { get; init; }
    public string State { get; init; } = "";
    public string Error { get; init; } = "";
    public double? Fps { get; init; }
    public long? FramesTotal { get; init; }
    public long? LastFrameMs { get; init; }
    public long? SnapshotMs { get; init; }
}
