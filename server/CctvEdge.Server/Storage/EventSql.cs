using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Storage;

/// <summary>
/// The spellings of the events queries that differ by engine: plugin payloads and zones are JSON text, read with
/// SQLite's JSON1 functions or PostgreSQL's jsonb ones (through <c>json_or_empty</c>, Schema/postgres/001), and a
/// group's columns are folded with each engine's aggregates. Everything else in <see cref="EventQueries"/> is one copy.
/// </summary>
internal sealed class EventSql
{
    // The event's payload as JSON; a payload that is not JSON reads as an empty object.
    private const string SqlitePayload = "(CASE WHEN json_valid(e.payload_json) THEN e.payload_json ELSE '{}' END)";

    // The payload's labels and those server processors added (analysis_json, central detection), which most events do
    // not have: those read the payload's alone.
    private const string SqliteLabels =
        $"CASE WHEN e.analysis_json = '' THEN COALESCE({SqlitePayload} -> '$.labels', '[]') "
        + $"ELSE (SELECT json_group_array(json(a.value)) FROM (SELECT value FROM json_each({SqlitePayload}, '$.labels') UNION ALL SELECT value FROM json_each(e.analysis_json, '$.labels')) a) END";

    // Both kinds of labels as one jsonb array (a 'labels' that is not an array reads as none).
    private static readonly string PostgresLabels = $"({PostgresLabelArray("e.payload_json")} || {PostgresLabelArray("e.analysis_json")})";

    private static readonly EventSql SqliteSql = new()
    {
        Labels = SqliteLabels,
        ZoneValues = alias => $"json_each(e.zones_json) {alias}",
        LabelValues = alias => $"json_each({SqliteLabels}) {alias}",
        LabelOf = alias => $"{alias}.value ->> '$.label'",
        GroupIds = "group_concat(id)",
        AnyOpen = "MAX(open)",
        AllAcknowledged = "MIN(acknowledged)",
        JsonArrayOf = column => $"json_group_array(json({column}))",
        FirstId = ids => $"CAST({ids} AS INTEGER)",
        // SQLite returns the row of the MAX() for the bare kind column.
        LatestPerCamera = """
            SELECT node_id, camera_id, kind, MAX(start_ms) AS start_ms FROM events
            WHERE start_ms >= @Since AND deleted_ms IS NULL AND camera_id <> ''
            GROUP BY node_id, camera_id
            """,
    };

    private static readonly EventSql PostgresSql = new()
    {
        Labels = $"CAST({PostgresLabels} AS TEXT)",
        ZoneValues = alias => $"jsonb_array_elements_text(CAST(e.zones_json AS JSONB)) {alias}(value)",
        // jsonb_array_elements fails on anything but an array: PostgresLabels is one.
        LabelValues = alias => $"jsonb_array_elements({PostgresLabels}) {alias}(value)",
        LabelOf = alias => $"{alias}.value ->> 'label'",
        // In start order, so the list starts with the group's first event (SQLite's follows the scan, which is that order).
        GroupIds = "string_agg(CAST(id AS TEXT), ',' ORDER BY start_ms, id)",
        AnyOpen = "bool_or(open)",
        AllAcknowledged = "bool_and(acknowledged)",
        JsonArrayOf = column => $"CAST(json_agg(CAST({column} AS JSON)) AS TEXT)",
        FirstId = ids => $"CAST(split_part({ids}, ',', 1) AS BIGINT)",
        LatestPerCamera = """
            SELECT DISTINCT ON (node_id, camera_id) node_id, camera_id, kind, start_ms FROM events
            WHERE start_ms >= @Since AND deleted_ms IS NULL AND camera_id <> ''
            ORDER BY node_id, camera_id, start_ms DESC
            """,
    };

    private EventSql()
    {
    }

    /// <summary>The event's detection labels (payload's and processors') as JSON text of an array (README, "Detection labels"), empty when none.</summary>
    public required string Labels { get; init; }

    /// <summary>A table of the event's zones, one text <c>value</c> a row, under the alias given.</summary>
    public required Func<string, string> ZoneValues { get; init; }

    /// <summary>A table of the event's label objects, one JSON <c>value</c> a row, under the alias given.</summary>
    public required Func<string, string> LabelValues { get; init; }

    /// <summary>The text of a label object's <c>label</c> field, for a row of <see cref="LabelValues"/>.</summary>
    public required Func<string, string> LabelOf { get; init; }

    /// <summary>A group's event ids, comma-separated, the first event's first.</summary>
    public required string GroupIds { get; init; }

    public required string AnyOpen { get; init; }

    public required string AllAcknowledged { get; init; }

    /// <summary>The JSON text of an array of a group's JSON values of <c>column</c>.</summary>
    public required Func<string, string> JsonArrayOf { get; init; }

    /// <summary>The first id of a comma-separated list of ids, as a number.</summary>
    public required Func<string, string> FirstId { get; init; }

    /// <summary>Each camera's latest event since <c>@Since</c>.</summary>
    public required string LatestPerCamera { get; init; }

    public static EventSql For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? PostgresSql : SqliteSql;

    /// <summary>A JSON text column's <c>labels</c> when it is an array, else an empty one, as jsonb.</summary>
    private static string PostgresLabelArray(string column) =>
        $"(CASE WHEN jsonb_typeof(json_or_empty({column}) -> 'labels') = 'array' THEN json_or_empty({column}) -> 'labels' ELSE '[]'::jsonb END)";

    /// <summary>
    /// The text of top-level field <paramref name="field"/> of the JSON text in <paramref name="column"/>, NULL when the
    /// text is not JSON (a plugin's payload may be anything) or has no such field: SQLite tests with json_valid first
    /// (CASE, unlike AND, is sure to test before it reads), PostgreSQL reads through json_or_empty.
    /// </summary>
    /// <summary>
    /// The text of top-level field <paramref name="field"/> of <c>payload_json</c> in an event the server wrote itself
    /// (always JSON, so SQLite need not test it first), spelled as each engine's <c>events_by_sensor</c> index spells
    /// it (migration 016 and its PostgreSQL twin), so a query on the sensor can use that index.
    /// </summary>
    public static string ServerPayloadField(SqlDialect dialect, string field) =>
        dialect == SqlDialect.Postgres ? $"(json_or_empty(payload_json) ->> '{field}')" : $"payload_json ->> '$.{field}'";

    public static string PayloadField(SqlDialect dialect, string column, string field) =>
        dialect == SqlDialect.Postgres ? $"(json_or_empty({column}) ->> '{field}')" : $"CASE WHEN json_valid({column}) THEN {column} ->> '$.{field}' END";
}
