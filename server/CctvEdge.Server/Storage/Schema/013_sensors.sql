-- Node sensors (issue 12): what each node reports of its sensors, their readings kept compactly with rollups, and
-- thresholds that raise sensor events.
CREATE TABLE sensors (
    node_id      TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    plugin_id    TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL DEFAULT '',      -- the device in the plugin's words: bme280, ds18b20, esp32...
    camera_id    TEXT    NOT NULL DEFAULT '',      -- the camera it is linked to for the timeline; '' for none
    state        TEXT    NOT NULL DEFAULT 'unknown', -- running | failed | disabled | unknown | removed (no longer configured)
    error        TEXT    NOT NULL DEFAULT '',
    last_read_ms INTEGER,                          -- the node's word: when it last produced a reading
    updated_ms   INTEGER NOT NULL,
    listed       INTEGER NOT NULL DEFAULT 0,      -- 1 once a hello or heartbeat named it; 0 for a board known only by its readings
    PRIMARY KEY (node_id, id)
) WITHOUT ROWID;

-- One row per sensor and measurement name: readings name it by a small integer instead of three strings, and the
-- sensor list reads the latest value here instead of searching the readings.
CREATE TABLE sensor_series (
    id         INTEGER PRIMARY KEY,
    node_id    TEXT    NOT NULL,
    sensor_id  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    unit       TEXT    NOT NULL DEFAULT '',
    last_value REAL,
    last_ms    INTEGER,
    UNIQUE (node_id, sensor_id, name)
);

-- Raw readings, clustered by series and time (WITHOUT ROWID: the key is the row, ~20 bytes a reading).
CREATE TABLE sensor_readings (
    series_id INTEGER NOT NULL,
    at_ms     INTEGER NOT NULL,
    value     REAL    NOT NULL,
    PRIMARY KEY (series_id, at_ms)
) WITHOUT ROWID;

-- Rollups kept in the transaction that inserts the raw reading; avg = sum / count, so buckets merge exactly.
CREATE TABLE sensor_minutes (
    series_id INTEGER NOT NULL,
    bucket_ms INTEGER NOT NULL,
    min       REAL    NOT NULL,
    max       REAL    NOT NULL,
    sum       REAL    NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;

CREATE TABLE sensor_hours (
    series_id INTEGER NOT NULL,
    bucket_ms INTEGER NOT NULL,
    min       REAL    NOT NULL,
    max       REAL    NOT NULL,
    sum       REAL    NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;

-- Per sensor and measurement name: the range a value must stay in, and how long it may leave it before an event.
CREATE TABLE sensor_thresholds (
    node_id         TEXT    NOT NULL,
    sensor_id       TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    min             REAL,
    max             REAL,
    sustain_seconds INTEGER NOT NULL DEFAULT 0,
    updated_ms      INTEGER NOT NULL,
    PRIMARY KEY (node_id, sensor_id, name)
) WITHOUT ROWID;
