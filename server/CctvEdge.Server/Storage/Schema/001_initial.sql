-- Times are Unix milliseconds (UTC): compact, sortable, and the same in SQLite and PostgreSQL.

CREATE TABLE nodes (
    id               TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    agent_version    TEXT    NOT NULL DEFAULT '',
    hostname         TEXT    NOT NULL DEFAULT '',
    first_seen_ms    INTEGER NOT NULL,
    last_seen_ms     INTEGER NOT NULL,
    connected        INTEGER NOT NULL DEFAULT 0,
    last_sequence    INTEGER NOT NULL DEFAULT 0,   -- highest result sequence stored; anything at or below is a duplicate
    cpu_percent      REAL,
    memory_bytes     INTEGER,
    disk_free_bytes  INTEGER,
    disk_total_bytes INTEGER,
    pending_results  INTEGER NOT NULL DEFAULT 0,
    lost_results     INTEGER NOT NULL DEFAULT 0,
    plugins_json     TEXT    NOT NULL DEFAULT '[]',  -- plugins installed on the node (from the hello)
    instances_json   TEXT    NOT NULL DEFAULT '[]'   -- plugin instances per camera (from heartbeats)
);

CREATE TABLE cameras (
    node_id        TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    id             TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    source_kind    TEXT    NOT NULL DEFAULT '',
    detect_width   INTEGER NOT NULL DEFAULT 0,
    detect_height  INTEGER NOT NULL DEFAULT 0,
    detect_fps     REAL    NOT NULL DEFAULT 0,
    state          TEXT    NOT NULL DEFAULT 'unknown',
    error          TEXT    NOT NULL DEFAULT '',
    fps            REAL,
    frames_total   INTEGER,
    last_frame_ms  INTEGER,
    snapshot_ms    INTEGER,
    PRIMARY KEY (node_id, id)
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id      TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    event_id     TEXT    NOT NULL,                 -- chosen by the plugin; unique per node
    camera_id    TEXT    NOT NULL,
    plugin_id    TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    start_ms     INTEGER NOT NULL,
    end_ms       INTEGER,
    peak         REAL    NOT NULL DEFAULT 0,
    zones_json   TEXT    NOT NULL DEFAULT '[]',
    boxes_json   TEXT    NOT NULL DEFAULT '[]',
    payload_json TEXT    NOT NULL DEFAULT '',
    sequence     INTEGER NOT NULL,                 -- the result that last changed this row
    received_ms  INTEGER NOT NULL,
    UNIQUE (node_id, event_id)
);
CREATE INDEX events_by_start ON events (start_ms DESC);
CREATE INDEX events_by_camera ON events (node_id, camera_id, start_ms DESC);

CREATE TABLE measurements (
    node_id   TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    camera_id TEXT    NOT NULL,
    plugin_id TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    at_ms     INTEGER NOT NULL,
    value     REAL    NOT NULL,
    unit      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX measurements_by_series ON measurements (node_id, camera_id, name, at_ms);

CREATE TABLE files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id      TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    camera_id    TEXT    NOT NULL,
    plugin_id    TEXT    NOT NULL,
    event_id     TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    path         TEXT    NOT NULL,                 -- relative to the data directory
    created_ms   INTEGER NOT NULL
);
CREATE INDEX files_by_event ON files (node_id, event_id);
