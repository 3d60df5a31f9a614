-- The review web app: users, what reviewers did to events (acknowledged, flagged, deleted), notifications, and what
-- the storage page needs (clip frame rates, node disk history).

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT    NOT NULL,                 -- ASP.NET Core Identity's PasswordHasher (v3: PBKDF2)
    role           TEXT    NOT NULL,                 -- admin | viewer
    security_stamp TEXT    NOT NULL,                 -- changes with the password or role; older sign-in cookies stop working
    created_ms     INTEGER NOT NULL
);

-- Review state lives on the event row; ingest's upsert never touches these columns.
ALTER TABLE events ADD COLUMN acknowledged_ms INTEGER;
ALTER TABLE events ADD COLUMN acknowledged_by TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN deleted_ms INTEGER;   -- soft delete: hidden from the app, kept for the record

-- The overview's count of unacknowledged events reads only this small index.
CREATE INDEX events_unacknowledged ON events (start_ms) WHERE acknowledged_ms IS NULL AND deleted_ms IS NULL;
-- Flagged events decide which clips retention keeps.
CREATE INDEX events_flagged ON events (node_id, camera_id, start_ms) WHERE flagged = 1;

-- Frames per second of a stored clip, read from its MP4 the first time it is played (the player's frame step).
ALTER TABLE clips ADD COLUMN fps REAL;

-- The largest motion magnitude of each minute per camera, kept by ingest: a day's motion graph reads 1 440 rows per
-- camera instead of 86 400, so the events page stays quick with many cameras.
CREATE TABLE motion_minutes (
    node_id   TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    camera_id TEXT    NOT NULL,
    minute_ms INTEGER NOT NULL,                      -- the minute's start
    peak      REAL    NOT NULL,
    PRIMARY KEY (node_id, camera_id, minute_ms)
) WITHOUT ROWID;
INSERT INTO motion_minutes (node_id, camera_id, minute_ms, peak)
SELECT node_id, camera_id, (at_ms / 60000) * 60000, MAX(value) FROM measurements WHERE name = 'motion.magnitude' GROUP BY 1, 2, 3;

-- One row per event and channel. Only the web channel exists yet; sending channels add rows of their own.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    rule            TEXT    NOT NULL,                -- what made it, e.g. kind:motion
    channel         TEXT    NOT NULL,                -- web
    status          TEXT    NOT NULL,                -- new | seen (acknowledged) | sent | failed
    created_ms      INTEGER NOT NULL,
    acknowledged_ms INTEGER,
    acknowledged_by TEXT    NOT NULL DEFAULT '',
    UNIQUE (event_id, channel)
);
CREATE INDEX notifications_by_time ON notifications (created_ms DESC);

-- Small server state, e.g. how far the notification stage has read the events.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A node's disk, once a day (the last heartbeat of the day wins): the days-until-full forecast.
CREATE TABLE node_disk_days (
    node_id     TEXT    NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,                    -- yyyy-MM-dd, UTC
    free_bytes  INTEGER NOT NULL,
    total_bytes INTEGER NOT NULL,
    PRIMARY KEY (node_id, day)
);

-- Notifications start with the events that arrive after this upgrade, not with the whole history.
INSERT INTO settings (key, value) VALUES ('notifications.last_event_id', (SELECT COALESCE(MAX(id), 0) FROM events));
